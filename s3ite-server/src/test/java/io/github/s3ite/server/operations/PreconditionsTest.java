package io.github.s3ite.server.operations;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.ObjectHeaders;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.VersionIds;
import io.github.s3ite.server.storage.WriteCondition;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rules of conditional writes, completions and deletes, without a server: the headers read
 * into {@link WriteCondition} values, and those values checked as storage checks them.
 */
class PreconditionsTest {
    private static final Instant WRITTEN = Instant.parse("2026-01-01T10:00:00Z");
    private static final ObjectInfo CURRENT = new ObjectInfo("k", 3, "abc123", "abc123", WRITTEN, Map.of(),
            ObjectHeaders.NONE, null, 0, Map.of(), VersionIds.NULL, false);

    private static S3ErrorCode failure(Executable executable) {
        return assertThrows(S3Exception.class, executable).error();
    }

    @Test
    void noConditionNeedsNoLookUp() {
        assertEquals(WriteCondition.NONE, Preconditions.forWrite(null, null));
        assertEquals(WriteCondition.NONE, Preconditions.forDelete(null));
    }

    @Test
    void ifNoneMatchStarRefusesAnExistingKey() {
        WriteCondition condition = Preconditions.forWrite(null, "*");
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, failure(() -> condition.check("k", CURRENT)));
        assertDoesNotThrow(() -> condition.check("k", null));
    }

    @Test
    void ifNoneMatchOtherThanStarIsNotImplementedOnWrites() {
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, failure(() -> Preconditions.forWrite(null, "\"abc123\"")));
    }

    @Test
    void ifMatchOnWriteNeedsTheKeyWithThatETag() {
        assertDoesNotThrow(() -> Preconditions.forWrite("\"abc123\"", null).check("k", CURRENT));
        assertDoesNotThrow(() -> Preconditions.forWrite("*", null).check("k", CURRENT));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED,
                failure(() -> Preconditions.forWrite("\"other\"", null).check("k", CURRENT)));
        assertEquals(S3ErrorCode.NO_SUCH_KEY, failure(() -> Preconditions.forWrite("\"abc123\"", null).check("k", null)));
    }

    @Test
    void completionRefusedByAnObjectThatWasThereBeforeTheUploadIsPreconditionFailed() {
        WriteCondition condition = Preconditions.forWrite(null, "*");
        assertEquals(S3ErrorCode.PRECONDITION_FAILED,
                failure(() -> condition.checkCompletion("k", CURRENT, WRITTEN.plusSeconds(1))));
        assertDoesNotThrow(() -> condition.checkCompletion("k", null, WRITTEN));
    }

    @Test
    void completionRefusedByAnObjectWrittenDuringTheUploadIsAConflict() {
        assertEquals(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT, failure(
                () -> Preconditions.forWrite(null, "*").checkCompletion("k", CURRENT, WRITTEN.minusSeconds(1))));
        assertEquals(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT, failure(
                () -> Preconditions.forWrite("\"old\"", null).checkCompletion("k", CURRENT, WRITTEN.minusSeconds(1))));
        assertDoesNotThrow(
                () -> Preconditions.forWrite("\"abc123\"", null).checkCompletion("k", CURRENT, WRITTEN.minusSeconds(1)));
    }

    @Test
    void completionWithIfMatchOfAMissingKeyIsNoSuchKey() {
        assertEquals(S3ErrorCode.NO_SUCH_KEY,
                failure(() -> Preconditions.forWrite("\"abc123\"", null).checkCompletion("k", null, WRITTEN)));
    }

    @Test
    void deleteIfMatchNeedsTheKeyWithThatETag() {
        assertDoesNotThrow(() -> Preconditions.forDelete("\"abc123\"").check("k", CURRENT));
        assertDoesNotThrow(() -> Preconditions.forDelete("abc123").check("k", CURRENT));
        assertDoesNotThrow(() -> Preconditions.forDelete("*").check("k", CURRENT));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, failure(() -> Preconditions.forDelete("\"other\"").check("k", CURRENT)));
        assertEquals(S3ErrorCode.NO_SUCH_KEY, failure(() -> Preconditions.forDelete("*").check("k", null)));
    }
}

package io.github.s3ite.server.operations;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.ObjectHeaders;
import io.github.s3ite.server.storage.ObjectInfo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The rules of conditional writes, completions and deletes, without a server. */
class PreconditionsTest {
    private static final Instant WRITTEN = Instant.parse("2026-01-01T10:00:00Z");
    private static final ObjectInfo CURRENT = new ObjectInfo("k", 3, "abc123", "abc123", WRITTEN, Map.of(),
            ObjectHeaders.NONE, null, 0, Map.of());

    private static S3ErrorCode failure(Executable executable) {
        return assertThrows(S3Exception.class, executable).error();
    }

    @Test
    void noConditionNeedsNoLookUp() {
        assertNull(Preconditions.forWrite(null, null, "k"));
        assertNull(Preconditions.forCompletion(null, null, "k"));
        assertNull(Preconditions.forDelete(null, "k"));
    }

    @Test
    void ifNoneMatchStarRefusesAnExistingKey() {
        var condition = Preconditions.forWrite(null, "*", "k");
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, failure(() -> condition.accept(CURRENT)));
        assertDoesNotThrow(() -> condition.accept(null));
    }

    @Test
    void ifNoneMatchOtherThanStarIsNotImplementedOnWrites() {
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, failure(() -> Preconditions.forWrite(null, "\"abc123\"", "k")));
    }

    @Test
    void ifMatchOnWriteNeedsTheKeyWithThatETag() {
        assertDoesNotThrow(() -> Preconditions.forWrite("\"abc123\"", null, "k").accept(CURRENT));
        assertDoesNotThrow(() -> Preconditions.forWrite("*", null, "k").accept(CURRENT));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED,
                failure(() -> Preconditions.forWrite("\"other\"", null, "k").accept(CURRENT)));
        assertEquals(S3ErrorCode.NO_SUCH_KEY, failure(() -> Preconditions.forWrite("\"abc123\"", null, "k").accept(null)));
    }

    @Test
    void completionRefusedByAnObjectThatWasThereBeforeTheUploadIsPreconditionFailed() {
        var condition = Preconditions.forCompletion(null, "*", "k");
        assertEquals(S3ErrorCode.PRECONDITION_FAILED,
                failure(() -> condition.accept(CURRENT, WRITTEN.plusSeconds(1))));
        assertDoesNotThrow(() -> condition.accept(null, WRITTEN));
    }

    @Test
    void completionRefusedByAnObjectWrittenDuringTheUploadIsAConflict() {
        assertEquals(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT,
                failure(() -> Preconditions.forCompletion(null, "*", "k").accept(CURRENT, WRITTEN.minusSeconds(1))));
        assertEquals(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT,
                failure(() -> Preconditions.forCompletion("\"old\"", null, "k").accept(CURRENT, WRITTEN.minusSeconds(1))));
        assertDoesNotThrow(() -> Preconditions.forCompletion("\"abc123\"", null, "k").accept(CURRENT, WRITTEN.minusSeconds(1)));
    }

    @Test
    void completionWithIfMatchOfAMissingKeyIsNoSuchKey() {
        assertEquals(S3ErrorCode.NO_SUCH_KEY,
                failure(() -> Preconditions.forCompletion("\"abc123\"", null, "k").accept(null, WRITTEN)));
    }

    @Test
    void deleteIfMatchNeedsTheKeyWithThatETag() {
        assertDoesNotThrow(() -> Preconditions.forDelete("\"abc123\"", "k").accept(CURRENT));
        assertDoesNotThrow(() -> Preconditions.forDelete("abc123", "k").accept(CURRENT));
        assertDoesNotThrow(() -> Preconditions.forDelete("*", "k").accept(CURRENT));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, failure(() -> Preconditions.forDelete("\"other\"", "k").accept(CURRENT)));
        assertEquals(S3ErrorCode.NO_SUCH_KEY, failure(() -> Preconditions.forDelete("*", "k").accept(null)));
    }
}

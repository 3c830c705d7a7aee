package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void whatIsWrittenReadsBackToTheSameInstant() {
        Random random = new Random(12);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000) + 100_000_000L, random.nextInt(1_000_000_000));
            assertEquals(instant, Timestamps.parse(Timestamps.format(instant)));
        }
        assertEquals(Instant.parse("2024-02-29T23:59:59.100Z"), Timestamps.parse("2024-02-29 23:59:59.1+00:00"));
    }

    @Test
    void theOtherFormsTheOriginalWroteStillRead() {
        assertEquals(Instant.parse("2023-06-01T10:00:00Z"), Timestamps.parse("2023-06-01 10:00:00+00:00"));
        assertEquals(Instant.parse("2023-06-01T10:00:00.5Z"), Timestamps.parse("2023-06-01T10:00:00.5Z"));
        assertEquals(Instant.parse("2023-06-01T08:00:00.123456789Z"), Timestamps.parse(" 2023-06-01 10:00:00.123456789+02:00 "));
    }

    @Test
    void impossibleDatesAreRefusedAsBefore() {
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("2023-02-30 10:00:00.1+00:00"));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("2023-13-01 10:00:00.1+00:00"));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("2023-01-01 10:00:00.+00:00"));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("2023-01-01 10:00:00.1234567890+00:00"));
    }
}

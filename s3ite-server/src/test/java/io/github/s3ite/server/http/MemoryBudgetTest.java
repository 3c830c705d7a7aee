package io.github.s3ite.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The budget's rules for what a cache holds: it takes only free bytes, and gives them back before a request waits. */
class MemoryBudgetTest {

    @Test
    void aCacheTakesOnlyFreeBytesAndNeverReclaims() {
        MemoryBudget budget = new MemoryBudget(100, Duration.ZERO);
        List<Long> asked = new ArrayList<>();
        budget.reclaimWith(wanted -> {
            asked.add(wanted);
            return 0;
        });
        assertTrue(budget.tryHold(60));
        assertFalse(budget.tryHold(41));
        assertEquals(List.of(), asked);
        assertEquals(60, budget.used());
        assertEquals(0, budget.usedByRequests());
        budget.releaseHeld(60);
        assertEquals(0, budget.used());
    }

    @Test
    void aReservationThatDoesNotFitTakesBackWhatTheCacheHoldsInsteadOfWaiting() {
        MemoryBudget budget = new MemoryBudget(100, Duration.ZERO);
        budget.tryHold(90);
        List<Long> asked = new ArrayList<>();
        budget.reclaimWith(wanted -> {
            asked.add(wanted);
            budget.releaseHeld(90);
            return 90;
        });
        budget.reserve(50);
        assertEquals(List.of(40L), asked, "asked for what was missing");
        assertEquals(50, budget.used());
        assertEquals(50, budget.usedByRequests());
    }

    @Test
    void aPieceOfABodyThatDoesNotFitTakesBackWhatTheCacheHolds() {
        MemoryBudget budget = new MemoryBudget(100, Duration.ZERO);
        budget.tryHold(100);
        budget.reclaimWith(wanted -> {
            budget.releaseHeld(wanted);
            return wanted;
        });
        assertTrue(budget.tryReserve(30));
        assertEquals(100, budget.used());
        assertEquals(30, budget.usedByRequests());
    }

    @Test
    void bytesTheCacheGivesBackLaterWakeAWaitingReservation() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, Duration.ofMinutes(1));
        budget.tryHold(100);
        CountDownLatch asked = new CountDownLatch(1);
        budget.reclaimWith(wanted -> {
            asked.countDown();
            return 0; // still being copied from: given back when the copy is done
        });
        Thread copy = new Thread(() -> {
            try {
                asked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            budget.releaseHeld(100);
        });
        copy.start();
        budget.reserve(70);
        copy.join();
        assertEquals(70, budget.used());
    }

    @Test
    void whenNothingCanBeGivenBackTheReservationFailsAsBefore() {
        MemoryBudget budget = new MemoryBudget(100, Duration.ofMillis(10));
        budget.reserve(80);
        budget.reclaimWith(wanted -> 0);
        S3Exception refused = assertThrows(S3Exception.class, () -> budget.reserve(30));
        assertEquals(S3ErrorCode.SLOW_DOWN, refused.error());
        assertFalse(budget.tryReserve(30));
        assertEquals(S3ErrorCode.SLOW_DOWN, assertThrows(S3Exception.class, () -> budget.reserve(101)).error());
    }
}

package io.jctl.core.sbc;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepsTest {
    @Test
    void aMillionStepsThatCompleteAtOnceDoNotDeepenTheStack() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Void> done = Steps.inSequence(
                () -> calls.incrementAndGet() > 1_000_000 ? null : CompletableFuture.completedFuture(null));
        done.join();
        assertEquals(1_000_001, calls.get());
    }

    @Test
    void laterStepsWaitForEarlierOnes() {
        AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Void> done = Steps.inSequence(() -> {
            if (calls.incrementAndGet() > 2) {
                return null;
            }
            pending.set(new CompletableFuture<>());
            return pending.get();
        });
        assertEquals(1, calls.get());
        pending.get().complete(null);
        assertEquals(2, calls.get());
        assertFalse(done.isDone());
        pending.get().complete(null);
        assertTrue(done.isDone());
    }

    @Test
    void theFirstFailureEndsTheSequence() {
        IllegalStateException broken = new IllegalStateException("broken");
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Void> done = Steps.inSequence(() -> calls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(broken) : CompletableFuture.completedFuture(null));
        assertSame(broken, assertThrows(CompletionException.class, done::join).getCause());
        assertEquals(1, calls.get());
        CompletableFuture<Void> thrown = Steps.inSequence(() -> {
            throw broken;
        });
        assertSame(broken, assertThrows(CompletionException.class, thrown::join).getCause());
    }
}

package io.jctl.core.backend;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletedFuturesTest {
    @Test
    void theSharedFutureStaysSuccessfulWhateverItsUsersDo() {
        assertFalse(CompletedFutures.DONE.complete(null));
        assertFalse(CompletedFutures.DONE.completeExceptionally(new RuntimeException("x")));
        assertFalse(CompletedFutures.DONE.cancel(true));
        assertThrows(IllegalStateException.class, () -> CompletedFutures.DONE.obtrudeException(new RuntimeException()));
        assertThrows(IllegalStateException.class, () -> CompletedFutures.DONE.obtrudeValue(null));
        assertTrue(CompletedFutures.DONE.isDone());
        assertFalse(CompletedFutures.DONE.isCompletedExceptionally());
        assertNull(CompletedFutures.DONE.join());
        AtomicInteger ran = new AtomicInteger();
        CompletedFutures.DONE.thenRun(ran::incrementAndGet);
        assertTrue(ran.get() == 1, "dependents run at once");
    }
}

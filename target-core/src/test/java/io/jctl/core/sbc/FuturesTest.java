package io.jctl.core.sbc;

import io.jctl.core.backend.BackendIoException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class FuturesTest {
    @Test
    void failureOfACompletedFutureIsItsRealCause() {
        BackendIoException e = new BackendIoException(BackendIoException.Kind.MEDIUM_ERROR, "bad sector");
        assertSame(e, Futures.failureOf(CompletableFuture.failedFuture(e)));
        assertSame(e, Futures.failureOf(CompletableFuture.failedFuture(new CompletionException(e))));
        assertNull(Futures.failureOf(CompletableFuture.completedFuture("ok")));
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertInstanceOf(java.util.concurrent.CancellationException.class, Futures.failureOf(cancelled));
    }
}

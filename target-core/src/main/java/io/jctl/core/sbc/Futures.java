package io.jctl.core.sbc;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for the asynchronous backend and transport futures. */
public final class Futures {
    private Futures() {
    }

    /** The real failure behind the wrappers {@link java.util.concurrent.CompletableFuture} adds. */
    public static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** The failure of a completed future (unwrapped), or null when it succeeded. Only for futures already done. */
    public static Throwable failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
        throw new IllegalStateException("a future completed exceptionally returned normally");
    }
}

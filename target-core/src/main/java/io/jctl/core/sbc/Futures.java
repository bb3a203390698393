package io.jctl.core.sbc;

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
}

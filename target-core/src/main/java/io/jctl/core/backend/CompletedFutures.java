package io.jctl.core.backend;

import java.util.concurrent.CompletableFuture;

/**
 * Completed futures that can be shared: storage that finishes on the caller's thread (the RAM disk) returns one of
 * these instead of allocating a future per call. Completing an already completed future does nothing; the two
 * methods that could still change one ({@code obtrudeValue}, {@code obtrudeException}) are refused.
 */
public final class CompletedFutures {
    /** A successful {@code Void} outcome: a write or flush that is done. */
    public static final CompletableFuture<Void> DONE = new Unchangeable<>(null);

    private CompletedFutures() {
    }

    private static final class Unchangeable<T> extends CompletableFuture<T> {
        Unchangeable(T value) {
            super.complete(value);
        }

        @Override
        public void obtrudeValue(T value) {
            throw new IllegalStateException("a shared completed future cannot be changed");
        }

        @Override
        public void obtrudeException(Throwable ex) {
            throw new IllegalStateException("a shared completed future cannot be changed");
        }
    }
}

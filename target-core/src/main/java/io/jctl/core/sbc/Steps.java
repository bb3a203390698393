package io.jctl.core.sbc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs asynchronous backend steps one after another. Steps that complete at once (the RAM disk) are taken in a
 * loop, not by nesting callbacks, so a long series (WRITE SAME over a large range) never deepens the stack.
 */
final class Steps {
    private Steps() {
    }

    /**
     * Calls {@code next} for each step and waits for its future before the next call; {@code next} returns null
     * when there is nothing left. The result fails with the first failure (later steps are not started).
     */
    static CompletableFuture<Void> inSequence(Supplier<CompletableFuture<Void>> next) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pump(next, done);
        return done;
    }

    private static void pump(Supplier<CompletableFuture<Void>> next, CompletableFuture<Void> done) {
        while (true) {
            CompletableFuture<Void> step;
            try {
                step = next.get();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            if (step == null) {
                done.complete(null);
                return;
            }
            if (step.isDone() && !step.isCompletedExceptionally()) {
                continue;
            }
            step.whenComplete((v, err) -> {
                if (err != null) {
                    done.completeExceptionally(Futures.unwrap(err));
                } else {
                    pump(next, done);
                }
            });
            return;
        }
    }
}

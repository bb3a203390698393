package io.jctl.core.task;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Turns a callback-style Data-Out receipt into a future, for callers that still want one. */
public final class DataReceipt {
    private DataReceipt() {
    }

    /**
     * Starts {@code receive} with a callback that completes the returned future. A buffer that arrives after the
     * future was completed some other way (e.g. cancelled) is released, so it never leaks.
     */
    public static CompletableFuture<ByteBuf> asFuture(Consumer<BiConsumer<ByteBuf, Throwable>> receive) {
        CompletableFuture<ByteBuf> future = new CompletableFuture<>();
        receive.accept((buf, err) -> {
            if (err != null) {
                future.completeExceptionally(err);
            } else if (!future.complete(buf)) {
                buf.release();
            }
        });
        return future;
    }
}

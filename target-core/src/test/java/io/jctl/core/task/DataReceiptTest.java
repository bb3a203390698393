package io.jctl.core.task;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataReceiptTest {

    @Test
    void bufferDeliveredByTheCallbackCompletesTheFuture() throws Exception {
        ByteBuf data = Unpooled.buffer(4).writeInt(7);
        CompletableFuture<ByteBuf> future = DataReceipt.asFuture(done -> done.accept(data, null));
        ByteBuf got = future.get();
        assertSame(data, got);
        assertEquals(1, got.refCnt());
        got.release();
    }

    @Test
    void failureDeliveredByTheCallbackFailsTheFuture() {
        IllegalStateException failure = new IllegalStateException("connection closed");
        CompletableFuture<ByteBuf> future = DataReceipt.asFuture(done -> done.accept(null, failure));
        ExecutionException thrown = assertThrows(ExecutionException.class, future::get);
        assertSame(failure, thrown.getCause());
    }

    @Test
    void bufferArrivingAfterTheFutureWasCancelledIsReleased() {
        AtomicReference<BiConsumer<ByteBuf, Throwable>> callback = new AtomicReference<>();
        CompletableFuture<ByteBuf> future = DataReceipt.asFuture(callback::set);
        assertTrue(future.cancel(false));
        ByteBuf late = Unpooled.buffer(4).writeInt(1);
        callback.get().accept(late, null);
        assertEquals(0, late.refCnt());
    }
}

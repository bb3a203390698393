package io.jctl.core.task;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What the core asks of the frontend connection that carried a task: move its data and deliver its status.
 * Implemented once per transport connection (an iSCSI connection, an FC bridge exchange table ...).
 * Methods may be called from any thread; implementations hop to their own event loop as needed.
 */
public interface TaskTransport {

    /**
     * Fetches the task's Data-Out: the first {@code length} bytes the command needs (immediate, unsolicited and
     * solicited data together). If the initiator's expected transfer length is smaller, only that much arrives
     * and the residual is reported at completion. The future completes with a buffer the caller owns and must
     * release, or exceptionally if the connection dies or the task is aborted.
     */
    CompletableFuture<ByteBuf> receiveData(ScsiTask task, int length);

    /**
     * {@link #receiveData(ScsiTask, int)} with a callback: {@code done} gets the buffer (it then owns it) or the
     * failure, exactly once, on any thread, possibly before this method returns. Transports override it to
     * answer data that is already here without a future.
     */
    default void receiveData(ScsiTask task, int length, BiConsumer<ByteBuf, Throwable> done) {
        receiveData(task, length).whenComplete(done);
    }

    /**
     * Sends part of the task's Data-In now, before completion (large reads). Ownership of {@code data} passes to
     * the transport. Bytes past the initiator's expected transfer length are not sent (residual overflow).
     */
    void sendData(ScsiTask task, ByteBuf data);

    /**
     * Ends the task: status and sense are set on it. {@code finalData} (nullable, ownership passes) is the last
     * Data-In, so the transport can carry status in the last data PDU.
     */
    void complete(ScsiTask task, ByteBuf finalData);

    /**
     * The task was aborted by a task management function of its own nexus: send no response, fail a pending
     * {@link #receiveData}, release what is held.
     */
    void aborted(ScsiTask task);
}

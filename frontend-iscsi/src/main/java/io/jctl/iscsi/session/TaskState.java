package io.jctl.iscsi.session;

import io.jctl.core.task.ScsiTask;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * The frontend's side of one SCSI command in flight: Data-Out collection, R2Ts, Data-In. Only touched on the
 * connection's event loop. A state is reused for a later command once its command ended ({@link TaskStatePool});
 * the core may still call about the old {@link ScsiTask} then (a late completion after an abort), so a task finds
 * its state through {@link #of}, which answers only while the state serves that very task.
 */
final class TaskState {
    ScsiTask task;
    int itt;
    long lun;
    int expectedLength;
    boolean write;
    boolean read;
    /**
     * Data received so far, in offset order: a retained slice of the one PDU that carried it, or a composite
     * of such slices once a second PDU added to it.
     */
    ByteBuf received;
    int receivedLength;
    /** Unsolicited data (immediate plus unsolicited Data-Out) the initiator will send. */
    int unsolicitedLimit;
    boolean unsolicitedDone;
    int unsolicitedDataSn;
    /** Who waits for the data the core asked for (called once, with the data or the failure). */
    BiConsumer<ByteBuf, Throwable> dataRequest;
    int wanted;
    /** R2Ts sent and not yet satisfied, oldest first; made for the first R2T (most commands need none). */
    ArrayDeque<R2t> r2ts;
    int nextR2tOffset;
    int r2tSn;
    /** Data-In: PDUs numbered so far, bytes sent, bytes accepted, and bytes accepted but not yet sent. */
    int dataSn;
    int sentLength;
    int queuedIn;
    /** Accepted Data-In not yet sent: the one buffer the handler gave, or a composite once it gave more. */
    ByteBuf pendingIn;
    /** pendingIn is a composite of our own, made when a second buffer arrived. */
    boolean pendingQueued;
    /** A Data-Out of this task was rejected: the initiator has given up on it, no response goes out. */
    boolean abandoned;
    /** Completion waiting for unsolicited data to finish arriving. */
    boolean completionParked;
    ByteBuf parkedFinalData;
    /** The command ended and every buffer was released; the state may be reused. */
    boolean finished;
    /** In its pool's free list (guards against handing one state out twice). */
    boolean pooled;

    /** One R2T sent for this task. */
    static final class R2t {
        final int ttt;
        final int offset;
        final int length;
        int received;
        int dataSn;

        R2t(int ttt, int offset, int length) {
            this.ttt = ttt;
            this.offset = offset;
            this.length = length;
        }
    }

    /** Makes this (new or recycled) state serve {@code task}; every field starts over. */
    void start(ScsiTask task, int itt, long lun, int expectedLength, boolean write, boolean read) {
        if (received != null || pendingIn != null || parkedFinalData != null || dataRequest != null) {
            throw new IllegalStateException("task state reused while it still holds " + this.task + "'s buffers");
        }
        this.task = task;
        this.itt = itt;
        this.lun = lun;
        this.expectedLength = expectedLength;
        this.write = write;
        this.read = read;
        receivedLength = 0;
        unsolicitedLimit = 0;
        unsolicitedDone = false;
        unsolicitedDataSn = 0;
        wanted = 0;
        if (r2ts != null) {
            r2ts.clear();
        }
        nextR2tOffset = 0;
        r2tSn = 0;
        dataSn = 0;
        sentLength = 0;
        queuedIn = 0;
        pendingQueued = false;
        abandoned = false;
        completionParked = false;
        finished = false;
        task.setFrontendState(this);
    }

    /** The state serving {@code task}, or null once the task ended (its state may serve another task by then). */
    static TaskState of(ScsiTask task) {
        return task.frontendState() instanceof TaskState st && st.task == task && !st.finished ? st : null;
    }
}

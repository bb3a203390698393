package io.jctl.core.dispatch;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.lun.Lun;
import io.jctl.core.port.Port;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.serial.OoaEntry;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.DataReceipt;
import io.jctl.core.task.ScsiTask;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * A command the dispatcher accepted: what handlers receive as {@link Command}, and the task's entry in its
 * LUN's task set. It ends exactly once; a second complete/fail is a handler bug that is logged and ignored.
 */
public final class ActiveCommand extends OoaEntry implements Command, Runnable {
    private static final Logger log = LoggerFactory.getLogger(ActiveCommand.class);

    private final Dispatcher dispatcher;
    private final ScsiTask task;
    private final LunContext context;
    private final Port port;
    private final OpcodeEntry entry;
    private final long startNanos;

    private static final AtomicIntegerFieldUpdater<ActiveCommand> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(ActiveCommand.class, "ended");
    private static final AtomicIntegerFieldUpdater<ActiveCommand> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(ActiveCommand.class, "transportReleased");
    private static final AtomicIntegerFieldUpdater<ActiveCommand> RECEIVES =
            AtomicIntegerFieldUpdater.newUpdater(ActiveCommand.class, "pendingReceives");

    // Field updaters instead of atomic objects: one allocation per command.
    private volatile int ended;
    /** Set once the transport was told {@code aborted}: it must hear nothing more about this task. */
    private volatile int transportReleased;
    private volatile int pendingReceives;
    // Statistics of this command; approximate if a handler moves data from several threads at once.
    private volatile long bytesMoved;
    private volatile int transfers;
    private volatile long dmaNanos;

    ActiveCommand(Dispatcher dispatcher, ScsiTask task, LunContext context, Port port, OpcodeEntry entry,
                  LbaExtent extent, long startNanos) {
        super(task.nexus(), task.tag(), task.attribute(), entry.serialization(), extent,
                entry.has(CommandFlag.ATOMIC));
        this.dispatcher = dispatcher;
        this.task = task;
        this.context = context;
        this.port = port;
        this.entry = entry;
        this.startNanos = startNanos;
    }

    @Override
    public ScsiTask task() {
        return task;
    }

    @Override
    public Lun lun() {
        return context == null ? null : context.lun();
    }

    /** The LUN's engine state, or null for a command addressed to a missing LUN. */
    @Override
    public LunContext context() {
        return context;
    }

    @Override
    public Port port() {
        return port;
    }

    @Override
    public OpcodeEntry entry() {
        return entry;
    }

    @Override
    public TargetView target() {
        return dispatcher.view();
    }

    @Override
    public ByteBufAllocator alloc() {
        return dispatcher.alloc();
    }

    long startNanos() {
        return startNanos;
    }

    long bytesMoved() {
        return bytesMoved;
    }

    int transfers() {
        return transfers;
    }

    long dmaNanos() {
        return dmaNanos;
    }

    /** Runs the handler (called by the {@link TaskExecutor}). A task aborted before it started just ends. */
    @Override
    public void run() {
        if (ended != 0) {
            return;
        }
        if (aborted()) {
            complete();
            return;
        }
        try {
            entry.handler().execute(this);
        } catch (Throwable t) {
            if (ended != 0) {
                log.error("{}: handler threw after ending the command", task, t);
            } else {
                fail(t);
            }
        }
    }

    @Override
    public CompletableFuture<ByteBuf> receiveData(int length) {
        return DataReceipt.asFuture(done -> receiveData(length, done));
    }

    @Override
    public void receiveData(int length, BiConsumer<ByteBuf, Throwable> done) {
        RECEIVES.incrementAndGet(this);
        if (aborted()) {
            RECEIVES.decrementAndGet(this);
            done.accept(null, ScsiException.status(ScsiStatus.TASK_ABORTED));
            return;
        }
        long t0 = System.nanoTime();
        task.transport().receiveData(task, length, (buf, err) -> {
            RECEIVES.decrementAndGet(this);
            if (err != null) {
                continueHandler(done, null, new DataOutFailed(err));
                return;
            }
            dmaNanos += System.nanoTime() - t0;
            bytesMoved += buf.readableBytes();
            transfers++;
            continueHandler(done, buf, null);
        });
    }

    /**
     * Runs the handler's continuation on the transport's thread; what it throws ends the command as the handler's
     * own exceptions do in {@link #run()}, instead of reaching the transport.
     */
    private void continueHandler(BiConsumer<ByteBuf, Throwable> done, ByteBuf buf, Throwable err) {
        try {
            done.accept(buf, err);
        } catch (Throwable t) {
            if (ended != 0) {
                log.error("{}: handler threw after ending the command", task, t);
            } else {
                fail(t);
            }
        }
    }

    /** The frontend could not deliver Data-Out (connection gone, bad Data-Out sequence): not a target bug. */
    static final class DataOutFailed extends RuntimeException {
        DataOutFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    @Override
    public void sendData(ByteBuf data) {
        if (ended != 0 || aborted()) {
            ReferenceCountUtil.release(data);
            return;
        }
        bytesMoved += data.readableBytes();
        transfers++;
        task.transport().sendData(task, data);
    }

    @Override
    public void complete() {
        complete(null);
    }

    @Override
    public void complete(ByteBuf finalData) {
        succeed(ScsiStatus.GOOD, finalData);
    }

    @Override
    public void conditionMet() {
        succeed(ScsiStatus.CONDITION_MET, null);
    }

    private void succeed(ScsiStatus status, ByteBuf finalData) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            log.error("{}: completed after it had already ended; ignored", task,
                    new IllegalStateException("second completion"));
            ReferenceCountUtil.release(finalData);
            return;
        }
        if (aborted()) {
            ReferenceCountUtil.release(finalData);
            dispatcher.finishAborted(this);
            return;
        }
        if (finalData != null && finalData.isReadable()) {
            bytesMoved += finalData.readableBytes();
            transfers++;
        }
        task.setResult(status, null);
        dispatcher.finish(this, finalData, true);
    }

    @Override
    public void fail(Throwable error) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            log.error("{}: failed after it had already ended; ignored", task, error);
            return;
        }
        if (aborted()) {
            dispatcher.finishAborted(this);
            return;
        }
        ScsiException e = toScsi(error);
        task.setResult(e.status(), dispatcher.encodeSense(context, e));
        dispatcher.finish(this, null, false);
    }

    private ScsiException toScsi(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ScsiException se) {
            log.info("{} on {}: {}", task, lun(), se.getMessage());
            return se;
        }
        if (t instanceof DataOutFailed d) {
            log.info("{} on {}: Data-Out failed: {}", task, lun(), d.getMessage());
            return ScsiException.checkCondition(SenseKey.ABORTED_COMMAND, 0x4b, 0x00);
        }
        if (t instanceof BackendIoException be) {
            log.warn("{} on {}: backend {} error: {}", task, lun(), be.kind(), be.getMessage());
            return be.toScsi(entry.direction() == DataDirection.OUT);
        }
        log.error("{} on {}: internal error", task, lun(), t);
        return ScsiException.internalTargetFailure();
    }

    /**
     * The task was aborted while it was running: a handler waiting for Data-Out is released by telling the
     * transport now (it fails the pending receive); the task then ends when the handler gives up.
     */
    void abortRunning() {
        if (pendingReceives > 0 && RELEASED.compareAndSet(this, 0, 1)) {
            task.transport().aborted(task);
        }
    }

    /** Ends a task that was aborted before its handler ran or while it ran (it has left the task set). */
    void endAborted() {
        ended = 1;
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            return;
        }
        if (abortMode() == AbortMode.TASK_ABORTED_STATUS) {
            task.setResult(ScsiStatus.TASK_ABORTED, null);
            task.transport().complete(task, null);
        } else {
            task.transport().aborted(task);
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }
}

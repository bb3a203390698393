package io.jctl.core.dispatch;

import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.serial.OoaEntry;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TaskAttribute;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * I/O the target issues for a command (third-party copy), ordered in a LUN's task set the way CTL orders the I/O of
 * its internal {@code tpc} port: it waits for older conflicting tasks and newer ones wait for it. It belongs to its
 * own nexus, so task management aimed at an initiator's tasks leaves it alone, while LUN resets, target resets and
 * LUN removal abort it. It passes the precheck's LUN state checks as {@code row} from the nexus of the command it
 * works for ({@code origin}) would, when it arrives and again when it is unblocked.
 */
final class InternalTask<T> extends OoaEntry {
    /** The nexus of every internal task; port 0 is never a real port (relative port ids start at 1). */
    static final Nexus NEXUS = new Nexus("jctl-internal", "jctl-internal", 0);
    private static final AtomicLong TAGS = new AtomicLong();

    private final Dispatcher dispatcher;
    private final LunContext context;
    private final Supplier<CompletableFuture<T>> io;
    /** The command this I/O is done for. */
    private final Command origin;
    /** The opcode row the LUN state checks judge the I/O as, and whose class orders it. */
    private final OpcodeEntry row;
    final CompletableFuture<T> result = new CompletableFuture<>();

    InternalTask(Dispatcher dispatcher, LunContext context, Command origin, OpcodeEntry row, LbaExtent extent,
                 Supplier<CompletableFuture<T>> io) {
        super(NEXUS, TAGS.incrementAndGet(), TaskAttribute.SIMPLE, row.serialization(), extent);
        this.dispatcher = dispatcher;
        this.context = context;
        this.origin = origin;
        this.row = row;
        this.io = io;
    }

    /** The LUN state checks, as for {@code row} from the origin's nexus: the refusal, or null. */
    ScsiException stateCheck() {
        return dispatcher.stateCheck(context, row, origin.task());
    }

    /** Refused by the LUN state checks when it was unblocked: it leaves its set with the refusal. */
    void refuse(ScsiException refusal) {
        leave(null, refusal);
    }

    /** Free to run: starts the I/O; the task leaves its set when the I/O ends. */
    void start() {
        if (context.removed()) {
            leave(null, ScsiException.lunNotSupported());
            return;
        }
        CompletableFuture<T> f;
        try {
            f = io.get();
        } catch (RuntimeException e) {
            leave(null, e);
            return;
        }
        f.whenComplete(this::leave);
    }

    private void leave(T value, Throwable error) {
        dispatcher.startUnblocked(context, context.tasks().remove(this));
        if (error != null) {
            result.completeExceptionally(error);
        } else if (aborted()) {
            // The I/O finished, but a reset aborted the task meanwhile: its owner must stop.
            if (value instanceof io.netty.util.ReferenceCounted rc) {
                rc.release();
            }
            result.completeExceptionally(ScsiException.status(ScsiStatus.TASK_ABORTED));
        } else {
            result.complete(value);
        }
    }

    /** Aborted while it waited: it already left its set. */
    void endAborted() {
        result.completeExceptionally(ScsiException.status(ScsiStatus.TASK_ABORTED));
    }

    @Override
    public String toString() {
        return "internal " + serialization() + " " + extent() + " on " + context.lun();
    }
}

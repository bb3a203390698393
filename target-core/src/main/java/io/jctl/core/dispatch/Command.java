package io.jctl.core.dispatch;

import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.lun.Lun;
import io.jctl.core.port.Port;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A command as a handler sees it: the task, the LUN and port it addresses, and the ways to move data and end it.
 * The dispatcher has already validated the CDB against the opcode table, run the precheck and ordered the
 * command in the LUN's task set.
 */
public interface Command {
    ScsiTask task();

    default byte[] cdb() {
        return task().cdb();
    }

    default Nexus nexus() {
        return task().nexus();
    }

    /** The addressed LUN; null only for commands allowed on a missing LUN (INQUIRY, REPORT LUNS, REQUEST SENSE). */
    Lun lun();

    Port port();

    /**
     * The addressed LUN's engine state, where features keep their per-LUN state ({@link LunContext#state}:
     * reservations, PREVENT bits ...). Null for a command addressed to a missing LUN, and for commands that do not
     * run inside the engine.
     */
    default LunContext context() {
        return null;
    }

    OpcodeEntry entry();

    /** The rest of the target, for commands that report on it (REPORT LUNS, REPORT SUPPORTED OPCODES ...). */
    TargetView target();

    ByteBufAllocator alloc();

    /** Fetches {@code length} bytes of Data-Out; the caller owns and releases the buffer. */
    CompletableFuture<ByteBuf> receiveData(int length);

    /**
     * {@link #receiveData(int)} with a callback instead of a future: {@code done} gets the buffer (it then owns and
     * releases it) or the failure, exactly once, possibly on this thread before this method returns (data that
     * arrived with the command). The hot write path uses it so that a command costs no futures.
     */
    default void receiveData(int length, BiConsumer<ByteBuf, Throwable> done) {
        receiveData(length).whenComplete(done);
    }

    /** Sends Data-In now, before completion; ownership passes. */
    void sendData(ByteBuf data);

    /**
     * True once a task management function (or LUN removal) aborted the command; long-running handlers check it
     * between steps and then end the command with {@link #fail} (how it ends was decided by the abort).
     */
    default boolean aborted() {
        return false;
    }

    /** Ends the command with GOOD status. */
    void complete();

    /** Ends the command with GOOD status and a last piece of Data-In (ownership passes). */
    void complete(ByteBuf finalData);

    /**
     * Ends the command with CONDITION MET: a success status that also says the condition the command asked about
     * holds (PRE-FETCH: the whole range is in the cache).
     */
    void conditionMet();

    /**
     * Ends the command with an error: a {@link io.jctl.core.scsi.ScsiException} gives its status and sense, a
     * {@link io.jctl.core.backend.BackendIoException} its mapped sense, anything else INTERNAL TARGET FAILURE (and
     * a log line).
     */
    void fail(Throwable error);
}

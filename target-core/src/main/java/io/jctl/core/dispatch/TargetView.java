package io.jctl.core.dispatch;

import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.lun.Lun;
import io.jctl.core.port.Port;

import java.util.SortedMap;

/** What command handlers may see of the target beyond their own LUN. */
public interface TargetView {
    /** LUNs visible through {@code port}: port-visible LUN number to LUN (after the port's LUN map). */
    SortedMap<Integer, Lun> visibleLuns(Port port);

    /** The opcode table (REPORT SUPPORTED OPERATION CODES). */
    OpcodeTable opcodes();

    /** Every port the LUN is reachable through (VPD 88h). */
    java.util.List<Port> portsOf(Lun lun);

    /**
     * Raises a unit attention on {@code lun} for every nexus except {@code except} (null: all of them), e.g.
     * MODE PARAMETERS CHANGED after a MODE SELECT.
     */
    void raiseUnitAttention(Lun lun, io.jctl.core.ua.UnitAttention ua, io.jctl.core.task.Nexus except);

    /**
     * REQUEST SENSE: takes the highest-priority pending unit attention of {@code nexus} on {@code lun} and clears
     * it the way reporting does (a reset-class UA wipes the others; REPORTED LUNS DATA HAS CHANGED is cleared on
     * every LUN). Empty when nothing is pending.
     */
    java.util.Optional<io.jctl.core.ua.UnitAttention> takeUnitAttention(Lun lun, io.jctl.core.task.Nexus nexus);

    /** REPORT LUNS ran: REPORTED LUNS DATA HAS CHANGED is cleared for {@code nexus} on every LUN. */
    void clearReportedLunsChanged(io.jctl.core.task.Nexus nexus);

    /** Every live LUN, whatever port shows it (a copy manager with {@code insecure_tpc=on} looks here). */
    default java.util.List<Lun> luns() {
        return java.util.List.of();
    }

    /** The engine state of a live LUN (task set, per-feature state), or null once it is removed. */
    default LunContext context(Lun lun) {
        return null;
    }

    /**
     * Runs I/O a command does on behalf of its initiator (a copy's reads and writes): {@code io} is judged by the
     * precheck's LUN state checks (port state, write protection, reservations, medium) exactly as {@code row}
     * coming from {@code origin}'s nexus would be, when it arrives and again if it had to wait, and ordered in
     * {@code lun}'s task set as a SIMPLE task of {@code row}'s class over {@code extent}. A refusal fails the
     * result with that command's answer (e.g. RESERVATION CONFLICT). {@code io} starts once no older task blocks
     * it, and newer tasks wait for it until the future it returned completes. On {@code origin}'s own LUN the I/O
     * takes {@code origin}'s place in the order, so tasks that arrived after {@code origin} and wait (an ORDERED
     * one waits for {@code origin} itself) never hold it back. The result fails with TASK ABORTED when a reset or
     * LUN removal aborts the I/O (task management aimed at initiators' tasks leaves it alone), and with LOGICAL
     * UNIT NOT SUPPORTED when the LUN is gone. A view without task sets runs {@code io} at once.
     */
    default <T> java.util.concurrent.CompletableFuture<T> runFor(
            Command origin, LunContext lun, io.jctl.core.cdb.OpcodeEntry row, io.jctl.core.cdb.LbaExtent extent,
            java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> io) {
        return io.get();
    }
}

package io.jctl.core.dispatch;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.serial.OoaEntry;
import io.jctl.core.serial.TaskSet;
import io.jctl.core.stats.IoStats;
import io.jctl.core.stats.IoType;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.ua.UnitAttention;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Takes commands from frontends and walks them to their handlers (ctl-facts §1.3): LUN address and port LUN
 * map, opcode table and CDB usage mask, the precheck, the LUN's task set; then hands runnable commands to the
 * {@link TaskExecutor} and ends them (statistics, task set, transport).
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final CommandRows rows;
    private final PortRegistry ports;
    private final LunDirectory luns;
    private final TargetView view;
    private final TaskExecutor executor;
    private final ByteBufAllocator alloc;
    private final IntFunction<IoStats> portStats;
    private final Map<AccessCheck.Stage, List<AccessCheck>> accessChecks = new EnumMap<>(AccessCheck.Stage.class);

    /**
     * @param portStats the statistics of a port id (created on first use)
     */
    public Dispatcher(OpcodeTable table, PortRegistry ports, LunDirectory luns, TargetView view,
                      TaskExecutor executor, ByteBufAllocator alloc, IntFunction<IoStats> portStats) {
        this.rows = new CommandRows(table);
        this.ports = ports;
        this.luns = luns;
        this.view = view;
        this.executor = executor;
        this.alloc = alloc;
        this.portStats = portStats;
        for (AccessCheck.Stage s : AccessCheck.Stage.values()) {
            accessChecks.put(s, new CopyOnWriteArrayList<>());
        }
    }

    TargetView view() {
        return view;
    }

    ByteBufAllocator alloc() {
        return alloc;
    }

    /** Adds a LUN state check at its place in the precheck order. */
    public void addAccessCheck(AccessCheck.Stage stage, AccessCheck check) {
        accessChecks.get(stage).add(check);
    }

    /** The engine state of the LUN a task addresses through its port, or null when there is none. */
    public LunContext resolve(Port port, long lunField) {
        int portLun = LunAddress.decode(lunField);
        if (port == null || portLun == LunAddress.INVALID) {
            return null;
        }
        int coreLun = portLun;
        SortedMap<Integer, Integer> map = port.lunMap().orElse(null);
        if (map != null) {
            Integer mapped = map.get(portLun);
            if (mapped == null) {
                return null;
            }
            coreLun = mapped;
        }
        LunContext ctx = luns.context(coreLun);
        return ctx == null || ctx.removed() ? null : ctx;
    }

    /** Accepts a command from a frontend; its outcome goes to the task's transport. */
    public void submit(ScsiTask task) {
        long start = System.nanoTime();
        Port port = ports.get(task.nexus().portId()).orElse(null);
        if (port == null) {
            log.warn("{}: no target port {}; refused", task, task.nexus().portId());
            reject(task, null, ScsiException.lunNotSupported());
            return;
        }
        LunContext ctx = resolve(port, task.lun());
        CommandRows.Row row;
        try {
            row = rows.lookup(task.cdb());
        } catch (ScsiException e) {
            log.info("{}: CDB refused: {}", task, e.getMessage());
            reject(task, ctx, e);
            return;
        }
        OpcodeEntry entry = row.entry();
        if (ctx == null) {
            if (!entry.has(CommandFlag.OK_ON_NO_LUN)) {
                reject(task, null, ScsiException.lunNotSupported());
                return;
            }
            executor.execute(new ActiveCommand(this, task, null, port, entry, null, start));
            return;
        }
        Lun lun = ctx.lun();
        if (!entry.lunTypes().contains(lun.type())) {
            reject(task, ctx, ScsiException.invalidOpcode());
            return;
        }
        if (!entry.has(CommandFlag.NO_SENSE)) {
            UnitAttention ua = takeUnitAttention(ctx, task.nexus());
            if (ua != null) {
                reject(task, ctx, ScsiException.checkCondition(ua.sense()));
                return;
            }
        }
        ScsiException refusal = stateCheck(ctx, entry, task);
        if (refusal != null) {
            reject(task, ctx, refusal);
            return;
        }
        ActiveCommand cmd = new ActiveCommand(this, task, ctx, port, entry, extentOf(entry, task), start);
        switch (ctx.tasks().admit(cmd)) {
            case RUN -> {
                if (!leaveIfRemoved(ctx, cmd)) {
                    executor.execute(cmd);
                }
            }
            case BLOCKED -> {
                if (!leaveIfRemoved(ctx, cmd)) {
                    log.trace("{}: blocked", task);
                }
            }
            case OVERLAPPED -> cmd.fail(ScsiException.checkCondition(SenseKey.ABORTED_COMMAND, 0x4e, 0x00));
            case TAG_OVERLAPPED -> cmd.fail(
                    ScsiException.checkCondition(SenseKey.ABORTED_COMMAND, 0x4d, (int) (task.tag() & 0xff)));
        }
    }

    /** A LUN removed between lookup and admission: its abort sweep may have missed this command. */
    private boolean leaveIfRemoved(LunContext ctx, ActiveCommand cmd) {
        if (!ctx.removed()) {
            return false;
        }
        cmd.fail(ScsiException.lunNotSupported());
        return true;
    }

    private static LbaExtent extentOf(OpcodeEntry entry, ScsiTask task) {
        if (entry.extent() == null) {
            return null;
        }
        try {
            return entry.extent().apply(task.cdb());
        } catch (RuntimeException e) {
            log.warn("{}: cannot decode the LBA range of {}; ordering it conservatively", task, entry.name(), e);
            return null;
        }
    }

    /**
     * The LUN state checks of ctl-facts §1.3 step 7, in order: port state (ALUA), write protection, reservations,
     * medium. Returns the refusal or null.
     */
    ScsiException stateCheck(LunContext ctx, OpcodeEntry entry, ScsiTask task) {
        ScsiException e = runChecks(AccessCheck.Stage.PORT_STATE, ctx, entry, task);
        if (e != null) {
            return e;
        }
        Lun lun = ctx.lun();
        if (entry.has(CommandFlag.WRITES_MEDIUM) && lun.writeProtected()) {
            // 27h/02h only when software write protect is the sole reason.
            boolean readOnly = lun.optionEnabled("readonly", lun.type() != LunType.DIRECT)
                    || lun.storage().readOnly();
            return ScsiException.checkCondition(SenseKey.DATA_PROTECT, 0x27, readOnly ? 0x01 : 0x02);
        }
        e = runChecks(AccessCheck.Stage.RESERVATION, ctx, entry, task);
        if (e != null) {
            return e;
        }
        if (!entry.has(CommandFlag.OK_ON_NO_MEDIA)) {
            if (lun.ejected()) {
                return ScsiException.checkCondition(SenseKey.NOT_READY, 0x3a, 0x02); // MEDIUM NOT PRESENT - TRAY OPEN
            }
            if (lun.stopped()) {
                return ScsiException.checkCondition(SenseKey.NOT_READY, 0x04, 0x02);
            }
        }
        return null;
    }

    private ScsiException runChecks(AccessCheck.Stage stage, LunContext ctx, OpcodeEntry entry, ScsiTask task) {
        List<AccessCheck> checks = accessChecks.get(stage);
        // By index: checks are only ever added, and this runs for every command (no iterator object).
        for (int i = 0; i < checks.size(); i++) {
            ScsiException e = checks.get(i).check(ctx, entry, task);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * Reports the highest-priority pending UA of a nexus on a LUN and clears it; REPORTED LUNS DATA HAS CHANGED is
     * then cleared on every LUN for that nexus, as CTL does. Null when nothing is pending.
     */
    public UnitAttention takeUnitAttention(LunContext ctx, Nexus nexus) {
        UnitAttention ua = ctx.unitAttentions().take(nexus);
        if (ua == UnitAttention.REPORTED_LUNS_CHANGED) {
            clearOnAllLuns(nexus, UnitAttention.REPORTED_LUNS_CHANGED);
        }
        return ua;
    }

    /** Clears a UA for a nexus on every LUN (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED). */
    public void clearOnAllLuns(Nexus nexus, UnitAttention ua) {
        for (LunContext c : luns.contexts()) {
            c.unitAttentions().clear(nexus, ua);
        }
    }

    byte[] encodeSense(LunContext ctx, ScsiException e) {
        SenseData sense = e.sense();
        if (sense == null) {
            return null;
        }
        if (ctx == null) {
            return sense.encode(false, 0);
        }
        return sense.encode(ctx.lun().modePages().descriptorSense(), ctx.lun().modePages().maxSenseLength());
    }

    /** Ends a task that never became a command (refused before it entered a task set). */
    private void reject(ScsiTask task, LunContext ctx, ScsiException e) {
        task.setResult(e.status(), encodeSense(ctx, e));
        task.transport().complete(task, null);
    }

    /** A command ended normally or with an error: statistics, task set, then the transport. */
    void finish(ActiveCommand cmd, ByteBuf finalData, boolean success) {
        LunContext ctx = cmd.context();
        if (success) {
            IoType type = IoType.of(cmd.entry().direction());
            long time = System.nanoTime() - cmd.startNanos();
            if (ctx != null) {
                ctx.stats().record(type, cmd.bytesMoved(), cmd.transfers(), time, cmd.dmaNanos());
            }
            portStats.apply(cmd.port().id()).record(type, cmd.bytesMoved(), cmd.transfers(), time, cmd.dmaNanos());
        }
        if (ctx != null) {
            startUnblocked(ctx, ctx.tasks().remove(cmd));
        }
        cmd.task().transport().complete(cmd.task(), finalData);
    }

    /** An aborted command's handler gave up: it leaves the task set and its transport hears how it ended. */
    void finishAborted(ActiveCommand cmd) {
        LunContext ctx = cmd.context();
        if (ctx != null) {
            startUnblocked(ctx, ctx.tasks().remove(cmd));
        }
        cmd.endAborted();
    }

    /**
     * Runs I/O a command does on behalf of its initiator, judged and ordered as {@code row} from that command's
     * nexus over {@code extent} (see {@link TargetView#runFor}). On the command's own LUN the I/O takes the
     * command's place in the task set ({@link TaskSet#admitWithin}).
     */
    public <T> CompletableFuture<T> runFor(Command origin, LunContext ctx, OpcodeEntry row, LbaExtent extent,
                                           Supplier<CompletableFuture<T>> io) {
        InternalTask<T> t = new InternalTask<>(this, ctx, origin, row, extent, io);
        ScsiException refusal = t.stateCheck();
        if (refusal != null) {
            log.debug("{}: internal {} on {} refused: {}", origin.task(), row.name(), ctx.lun(), refusal.getMessage());
            return CompletableFuture.failedFuture(refusal);
        }
        OoaEntry parent = origin instanceof ActiveCommand cmd && cmd.context() == ctx ? cmd : null;
        if (ctx.removed()) {
            return CompletableFuture.failedFuture(ScsiException.lunNotSupported());
        }
        if (ctx.tasks().admitWithin(parent, t) == TaskSet.Admission.RUN) {
            t.start();
        } else if (ctx.removed()) {
            // Removed between the check and admission: the abort sweep may have missed it.
            startUnblocked(ctx, ctx.tasks().remove(t));
            t.result.completeExceptionally(ScsiException.lunNotSupported());
        }
        return t.result;
    }

    /** Starts commands whose blocker left; the LUN state is checked again first (it may have changed). */
    public void startUnblocked(LunContext ctx, List<OoaEntry> runnable) {
        if (runnable.isEmpty()) {
            return; // the common case, without an iterator object
        }
        for (OoaEntry e : runnable) {
            if (e instanceof InternalTask<?> t) {
                ScsiException refusal = t.stateCheck();
                if (refusal != null) {
                    t.refuse(refusal);
                } else {
                    t.start();
                }
                continue;
            }
            ActiveCommand cmd = (ActiveCommand) e;
            ScsiException refusal = stateCheck(ctx, cmd.entry(), cmd.task());
            if (refusal != null) {
                cmd.fail(refusal);
            } else {
                executor.execute(cmd);
            }
        }
    }

    /** Ends tasks an abort took out of their task set before they ran. */
    public void endRemoved(List<OoaEntry> removed) {
        for (OoaEntry e : removed) {
            if (e instanceof InternalTask<?> t) {
                t.endAborted();
            } else {
                ((ActiveCommand) e).endAborted();
            }
        }
    }

    /** Tells running aborted tasks that wait for Data-Out to give up. */
    public void releaseRunning(List<OoaEntry> flagged) {
        for (OoaEntry e : flagged) {
            if (e instanceof ActiveCommand cmd) {
                cmd.abortRunning();
            }
        }
    }
}

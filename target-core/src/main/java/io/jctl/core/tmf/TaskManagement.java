package io.jctl.core.tmf;

import io.jctl.core.dispatch.Dispatcher;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.dispatch.LunDirectory;
import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.serial.OoaEntry;
import io.jctl.core.serial.OoaEntry.AbortMode;
import io.jctl.core.serial.TaskSet;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.task.TmfResponse;
import io.jctl.core.task.TmfResponse.Code;
import io.jctl.core.ua.UnitAttention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Task management functions (ctl-facts §3.1). Aborted tasks that were waiting leave their task set at once;
 * running ones are flagged and leave when their handler ends. A function's future completes only after every task
 * it aborted has left its task set.
 */
public final class TaskManagement {
    private static final Logger log = LoggerFactory.getLogger(TaskManagement.class);

    private final Dispatcher dispatcher;
    private final LunDirectory luns;
    private final PortRegistry ports;

    public TaskManagement(Dispatcher dispatcher, LunDirectory luns, PortRegistry ports) {
        this.dispatcher = dispatcher;
        this.luns = luns;
        this.ports = ports;
    }

    public CompletableFuture<TmfResponse> handle(TmfRequest r) {
        Nexus nexus = r.nexus();
        Port port = ports.get(nexus.portId()).orElse(null);
        log.info("{} from {}", r.function(), nexus.initiatorPort());
        switch (r.function()) {
            case CLEAR_ACA:
                return done(Code.FUNCTION_NOT_SUPPORTED);
            case TARGET_RESET:
                return targetReset(nexus, port);
            case I_T_NEXUS_RESET:
                return nexusReset(nexus, UnitAttention.I_T_NEXUS_LOSS);
            default:
                break;
        }
        LunContext ctx = dispatcher.resolve(port, r.lun());
        if (ctx == null) {
            return done(Code.LUN_DOES_NOT_EXIST);
        }
        return switch (r.function()) {
            case ABORT_TASK -> abort(ctx, e -> e.nexus().equals(nexus) && e.tag() == r.referencedTag(), nexus)
                    .thenApply(v -> TmfResponse.of(Code.FUNCTION_COMPLETE));
            case ABORT_TASK_SET -> abort(ctx, e -> e.nexus().equals(nexus), nexus)
                    .thenApply(v -> TmfResponse.of(Code.FUNCTION_COMPLETE));
            case CLEAR_TASK_SET -> abort(ctx, e -> true, nexus)
                    .thenApply(v -> TmfResponse.of(Code.FUNCTION_COMPLETE));
            case LOGICAL_UNIT_RESET -> lunReset(ctx, nexus, UnitAttention.LUN_RESET)
                    .thenApply(v -> TmfResponse.of(Code.FUNCTION_COMPLETE));
            case QUERY_TASK -> done(ctx.tasks().containsLive(nexus, r.referencedTag())
                    ? Code.FUNCTION_SUCCEEDED : Code.FUNCTION_COMPLETE);
            case QUERY_TASK_SET -> done(ctx.tasks().containsLive(nexus)
                    ? Code.FUNCTION_SUCCEEDED : Code.FUNCTION_COMPLETE);
            case QUERY_ASYNC_EVENT -> queryAsyncEvent(ctx, nexus);
            default -> throw new IllegalStateException("unhandled " + r.function());
        };
    }

    private static CompletableFuture<TmfResponse> done(Code code) {
        return CompletableFuture.completedFuture(TmfResponse.of(code));
    }

    private static CompletableFuture<TmfResponse> queryAsyncEvent(LunContext ctx, Nexus nexus) {
        UnitAttention ua = ctx.unitAttentions().peek(nexus);
        if (ua == null) {
            return done(Code.FUNCTION_COMPLETE);
        }
        SenseData s = ua.sense();
        int info = (s.key() & 0xff) << 16 | (s.asc() & 0xff) << 8 | (s.ascq() & 0xff);
        return CompletableFuture.completedFuture(new TmfResponse(Code.FUNCTION_SUCCEEDED, info));
    }

    /**
     * Aborts the selected tasks of one LUN. Tasks of the requester end silently; other nexuses' tasks end with
     * TASK ABORTED when the LUN's control page has TAS set.
     */
    public CompletableFuture<Void> abort(LunContext ctx, Predicate<OoaEntry> which, Nexus requester) {
        boolean tas = ctx.lun().modePages().taskAbortedStatus();
        TaskSet.AbortOutcome out = ctx.tasks().abort(which, e ->
                requester != null && e.nexus().equals(requester) || !tas
                        ? AbortMode.SILENT : AbortMode.TASK_ABORTED_STATUS);
        dispatcher.endRemoved(out.removed());
        dispatcher.releaseRunning(out.flagged());
        dispatcher.startUnblocked(ctx, out.runnable());
        return out.allGone();
    }

    /** LOGICAL UNIT RESET semantics: every task aborted, {@code ua} for every nexus including the requester. */
    public CompletableFuture<Void> lunReset(LunContext ctx, Nexus requester, UnitAttention ua) {
        CompletableFuture<Void> gone = abort(ctx, e -> true, requester);
        ctx.lunResetStates();
        ctx.unitAttentions().raiseAll(ua, null);
        if (requester != null) {
            ctx.unitAttentions().raise(requester, ua);
        }
        return gone;
    }

    private CompletableFuture<TmfResponse> targetReset(Nexus nexus, Port port) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        if (port != null) {
            for (LunContext ctx : visible(port)) {
                all.add(lunReset(ctx, nexus, UnitAttention.TARGET_RESET));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> TmfResponse.of(Code.FUNCTION_COMPLETE));
    }

    /**
     * I_T NEXUS RESET, and what happens when a nexus is lost: its tasks on every LUN are aborted silently and
     * {@code ua} is raised for it on every LUN it has used (its next session with the same initiator port sees it).
     */
    public CompletableFuture<TmfResponse> nexusReset(Nexus nexus, UnitAttention ua) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (LunContext ctx : luns.contexts()) {
            all.add(abort(ctx, e -> e.nexus().equals(nexus), nexus));
            ctx.nexusResetStates(nexus);
            ctx.unitAttentions().raiseIfKnown(nexus, ua);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> TmfResponse.of(Code.FUNCTION_COMPLETE));
    }

    private Collection<LunContext> visible(Port port) {
        List<LunContext> out = new ArrayList<>();
        var map = port.lunMap().orElse(null);
        if (map == null) {
            out.addAll(luns.contexts());
        } else {
            for (int coreLun : map.values()) {
                LunContext c = luns.context(coreLun);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}

package io.jctl.core.dispatch;

import io.jctl.core.lun.Lun;
import io.jctl.core.serial.SerSeq;
import io.jctl.core.serial.TaskSet;
import io.jctl.core.stats.IoStats;
import io.jctl.core.task.Nexus;
import io.jctl.core.ua.UnitAttentions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The engine's state of one LUN: its task set, pending unit attentions and statistics. */
public final class LunContext {
    private final Lun lun;
    private final TaskSet tasks;
    private final UnitAttentions unitAttentions = new UnitAttentions();
    private final IoStats stats = new IoStats();
    private final Map<Class<? extends LunState>, LunState> states = new ConcurrentHashMap<>();
    private volatile boolean removed;

    /** @throws IllegalArgumentException when the LUN's serseq option has no meaning */
    public LunContext(Lun lun) {
        this.lun = lun;
        SerSeq serSeq = SerSeq.parse(lun.options().get("serseq"));
        this.tasks = new TaskSet(() -> lun.modePages().unrestrictedReordering(), () -> serSeq);
    }

    public Lun lun() {
        return lun;
    }

    public TaskSet tasks() {
        return tasks;
    }

    public UnitAttentions unitAttentions() {
        return unitAttentions;
    }

    public IoStats stats() {
        return stats;
    }

    /** The LUN's state of one kind, created by {@code create} on first use. */
    public <T extends LunState> T state(Class<T> kind, Supplier<? extends T> create) {
        // Looked up first: the state exists after the first command, and this runs on every one (reservations).
        LunState existing = states.get(kind);
        return kind.cast(existing != null ? existing : states.computeIfAbsent(kind, k -> create.get()));
    }

    /** Tells every attached state about a LOGICAL UNIT RESET. */
    public void lunResetStates() {
        states.values().forEach(LunState::lunReset);
    }

    /** Tells every attached state that {@code nexus} was reset or lost. */
    public void nexusResetStates(Nexus nexus) {
        states.values().forEach(s -> s.nexusReset(nexus));
    }

    /** True once the LUN is being removed: new commands see no LUN. */
    public boolean removed() {
        return removed;
    }

    public void markRemoved() {
        removed = true;
    }
}

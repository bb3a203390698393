package io.jctl.core.serial;

import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TaskAttribute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A task as the LUN's order-of-arrival set sees it. The links and state are guarded by the owning
 * {@link TaskSet}'s lock; the dispatcher's command object extends this class, so a command costs one object.
 */
public class OoaEntry {
    /** How an aborted task ends. */
    public enum AbortMode {
        /** Not aborted. */
        NONE,
        /** Aborted by its own nexus (or TAS off): no response, the transport is told {@code aborted}. */
        SILENT,
        /** Aborted by another nexus with TAS set: it ends with TASK ABORTED status. */
        TASK_ABORTED_STATUS
    }

    enum State { NEW, BLOCKED, RUNNING, GONE }

    private final Nexus nexus;
    private final long tag;
    private final TaskAttribute attribute;
    private final SerializationClass serialization;
    private final LbaExtent extent;
    private final boolean atomic;

    // Guarded by the TaskSet lock.
    long seq;
    /** For a sub-task ({@link TaskSet#admitWithin}): the running task whose place in the order it takes. */
    OoaEntry parent;
    OoaEntry older;
    OoaEntry newer;
    OoaEntry blocker;
    List<OoaEntry> waiters;
    volatile State state = State.NEW;
    CompletableFuture<Void> leftSet;
    private volatile AbortMode abortMode = AbortMode.NONE;

    /**
     * @param serialization the command's class, or null for commands that never wait (CTL's INVLD index)
     * @param extent        the LBA range it touches, or null when not known yet (then extent checks collide)
     */
    public OoaEntry(Nexus nexus, long tag, TaskAttribute attribute, SerializationClass serialization,
                    LbaExtent extent) {
        this(nexus, tag, attribute, serialization, extent, false);
    }

    /**
     * @param atomic the command's range must not be touched by any other command while it runs (see
     *               {@link io.jctl.core.cdb.CommandFlag#ATOMIC})
     */
    public OoaEntry(Nexus nexus, long tag, TaskAttribute attribute, SerializationClass serialization,
                    LbaExtent extent, boolean atomic) {
        this.atomic = atomic;
        this.nexus = nexus;
        this.tag = tag;
        this.attribute = attribute == TaskAttribute.ACA ? TaskAttribute.SIMPLE : attribute;
        this.serialization = serialization;
        this.extent = extent;
    }

    public Nexus nexus() {
        return nexus;
    }

    public long tag() {
        return tag;
    }

    /** The task attribute, ACA already mapped to SIMPLE. */
    public TaskAttribute attribute() {
        return attribute;
    }

    public SerializationClass serialization() {
        return serialization;
    }

    public LbaExtent extent() {
        return extent;
    }

    public boolean atomic() {
        return atomic;
    }

    public AbortMode abortMode() {
        return abortMode;
    }

    public boolean aborted() {
        return abortMode != AbortMode.NONE;
    }

    /** Marks the entry aborted; the first abort decides how it ends. Called under the TaskSet lock. */
    boolean markAborted(AbortMode mode) {
        if (abortMode != AbortMode.NONE) {
            return false;
        }
        abortMode = mode;
        return true;
    }

    /** True while the entry is waiting for an older one. */
    public boolean blocked() {
        return state == State.BLOCKED;
    }

    void addWaiter(OoaEntry w) {
        if (waiters == null) {
            waiters = new ArrayList<>(2);
        }
        waiters.add(w);
    }
}

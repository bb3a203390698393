package io.jctl.core.serial;

import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TaskAttribute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A LUN's order-of-arrival task set (CTL's OOA queue) and its ordering rules (ctl-facts §2.4). A new task is
 * compared with every older one, newest first; the first result other than PASS decides. A blocked task waits on
 * the task that blocked it and is checked again from scratch when that one leaves.
 */
public final class TaskSet {
    /** What happens to a task offered to the set. */
    public enum Admission {
        /** In the set and free to run now. */
        RUN,
        /** In the set, waiting for an older task. */
        BLOCKED,
        /** Not admitted: an untagged task of the same nexus is still there (ABORTED COMMAND 4Eh/00h). */
        OVERLAPPED,
        /** Not admitted: a task with the same tag from the same nexus is still there (ABORTED COMMAND 4Dh/tag). */
        TAG_OVERLAPPED
    }

    /** Result of comparing a new task with one older task. */
    enum Check { PASS, BLOCK, SKIP, OVERLAP, OVERLAP_TAG }

    private final BooleanSupplier unrestrictedReordering;
    private final Supplier<SerSeq> serSeq;

    private OoaEntry oldest;
    private OoaEntry newest;
    private int size;
    private long nextSeq;

    /**
     * @param unrestrictedReordering reads the control mode page QAM (true = unrestricted) at check time
     * @param serSeq                 reads the LUN's serseq option at check time
     */
    public TaskSet(BooleanSupplier unrestrictedReordering, Supplier<SerSeq> serSeq) {
        this.unrestrictedReordering = unrestrictedReordering;
        this.serSeq = serSeq;
    }

    /** Offers a new task. On RUN or BLOCKED it is in the set until {@link #remove}. */
    public synchronized Admission admit(OoaEntry e) {
        if (e.state != OoaEntry.State.NEW) {
            throw new IllegalStateException("task offered twice");
        }
        boolean unrestricted = unrestrictedReordering.getAsBoolean();
        SerSeq seq = serSeq.get();
        for (OoaEntry o = newest; o != null; o = o.older) {
            Check c = check(e, o, unrestricted, seq, true);
            switch (c) {
                case PASS, SKIP -> {
                }
                case OVERLAP -> {
                    return Admission.OVERLAPPED;
                }
                case OVERLAP_TAG -> {
                    return Admission.TAG_OVERLAPPED;
                }
                case BLOCK -> {
                    append(e);
                    blockOn(e, o);
                    return Admission.BLOCKED;
                }
            }
        }
        append(e);
        e.state = OoaEntry.State.RUNNING;
        return Admission.RUN;
    }

    /**
     * Offers a sub-task of {@code parent}, a task already running in this set: I/O a copy command does itself
     * (SPC-4's copy manager works inside the command's own task). The sub-task takes the parent's place in the
     * order: it is ordered after the parent's older tasks (and its own earlier sub-tasks) as any new task would be,
     * passes the parent, and every task newer than the parent is ordered after it. So a task that arrived after
     * the parent and is still blocked (an ORDERED one waits for the parent itself) does not hold it back, which
     * would deadlock the parent; a newer task already running that the table says must not run beside it is
     * waited for, since it started before the sub-task existed. A parent that is not running here (a sub-task
     * on another LUN) gives an ordinary {@link #admit}.
     */
    public synchronized Admission admitWithin(OoaEntry parent, OoaEntry e) {
        if (parent == null || parent.state != OoaEntry.State.RUNNING || !contains(parent)) {
            return admit(e);
        }
        if (e.state != OoaEntry.State.NEW) {
            throw new IllegalStateException("task offered twice");
        }
        e.parent = parent;
        OoaEntry after = parent;
        while (after.newer != null && after.newer.parent == parent) {
            after = after.newer;
        }
        insertAfter(after, e);
        OoaEntry blocker = subTaskBlocker(e);
        if (blocker != null) {
            blockOn(e, blocker);
            return Admission.BLOCKED;
        }
        e.state = OoaEntry.State.RUNNING;
        return Admission.RUN;
    }

    private boolean contains(OoaEntry e) {
        for (OoaEntry o = newest; o != null; o = o.older) {
            if (o == e) {
                return true;
            }
        }
        return false;
    }

    /** What a sub-task waits for: a conflicting newer task already running, else as a new task, parent skipped. */
    private OoaEntry subTaskBlocker(OoaEntry e) {
        boolean unrestricted = unrestrictedReordering.getAsBoolean();
        SerSeq seq = serSeq.get();
        for (OoaEntry o = newest; o != e; o = o.older) {
            if (o.state == OoaEntry.State.RUNNING && check(o, e, unrestricted, seq, false) == Check.BLOCK) {
                return o;
            }
        }
        for (OoaEntry o = e.older; o != null; o = o.older) {
            if (o != e.parent && check(e, o, unrestricted, seq, false) == Check.BLOCK) {
                return o;
            }
        }
        return null;
    }

    /**
     * Takes a task out of the set (it completed, or it was aborted while blocked). Returns the tasks that may now
     * run, oldest first; the caller starts them. A task management function waiting for this task is told after
     * the set's lock is released, so its continuation never runs under it.
     */
    public List<OoaEntry> remove(OoaEntry e) {
        List<OoaEntry> runnable;
        CompletableFuture<Void> left;
        synchronized (this) {
            if (e.state == OoaEntry.State.GONE || e.state == OoaEntry.State.NEW) {
                return List.of();
            }
            left = e.leftSet;
            if (e.waiters == null || e.waiters.isEmpty()) {
                unlink(e, null);
                runnable = List.of();
            } else {
                runnable = new ArrayList<>(e.waiters.size());
                unlink(e, runnable);
            }
        }
        if (left != null) {
            left.complete(null);
        }
        return runnable;
    }

    private void unlink(OoaEntry e, List<OoaEntry> runnable) {
        if (e.blocker != null && e.blocker.waiters != null) {
            e.blocker.waiters.remove(e);
        }
        e.blocker = null;
        if (e.older != null) {
            e.older.newer = e.newer;
        } else {
            oldest = e.newer;
        }
        if (e.newer != null) {
            e.newer.older = e.older;
        } else {
            newest = e.older;
        }
        e.older = null;
        e.newer = null;
        e.state = OoaEntry.State.GONE;
        size--;
        List<OoaEntry> waiters = e.waiters;
        e.waiters = null;
        if (waiters != null) {
            waiters.sort(Comparator.comparingLong(w -> w.seq));
            for (OoaEntry w : waiters) {
                w.blocker = null;
                recheck(w, runnable);
            }
        }
    }

    private void recheck(OoaEntry w, List<OoaEntry> runnable) {
        if (w.aborted()) {
            return; // only inside abort(): it leaves the set in the same pass
        }
        if (w.parent != null) {
            OoaEntry blocker = subTaskBlocker(w);
            if (blocker != null) {
                blockOn(w, blocker);
                return;
            }
            w.state = OoaEntry.State.RUNNING;
            runnable.add(w);
            return;
        }
        boolean unrestricted = unrestrictedReordering.getAsBoolean();
        SerSeq seq = serSeq.get();
        for (OoaEntry o = w.older; o != null; o = o.older) {
            if (check(w, o, unrestricted, seq, false) == Check.BLOCK) {
                blockOn(w, o);
                return;
            }
        }
        w.state = OoaEntry.State.RUNNING;
        runnable.add(w);
    }

    private void append(OoaEntry e) {
        e.seq = nextSeq++;
        e.older = newest;
        if (newest != null) {
            newest.newer = e;
        } else {
            oldest = e;
        }
        newest = e;
        size++;
    }

    /** Links {@code e} in just after {@code at}; it shares {@code at}'s arrival number (waiters sort by it). */
    private void insertAfter(OoaEntry at, OoaEntry e) {
        e.seq = at.seq;
        e.older = at;
        e.newer = at.newer;
        if (at.newer != null) {
            at.newer.older = e;
        } else {
            newest = e;
        }
        at.newer = e;
        size++;
    }

    private static void blockOn(OoaEntry e, OoaEntry blocker) {
        e.state = OoaEntry.State.BLOCKED;
        e.blocker = blocker;
        blocker.addWaiter(e);
    }

    /**
     * One pair, in CTL's order. {@code arrival}: the overlap rules apply only when a task arrives; a recheck after
     * its blocker left only decides between waiting and running.
     */
    static Check check(OoaEntry newer, OoaEntry older, boolean unrestricted, SerSeq seq, boolean arrival) {
        if (older.aborted() && older.state != OoaEntry.State.RUNNING) {
            return Check.SKIP;
        }
        TaskAttribute na = newer.attribute();
        TaskAttribute oa = older.attribute();
        if (na == TaskAttribute.ORDERED) {
            return Check.BLOCK;
        }
        if (arrival && newer.nexus().equals(older.nexus()) && !older.aborted()) {
            boolean newUntagged = na == TaskAttribute.UNTAGGED;
            boolean oldUntagged = oa == TaskAttribute.UNTAGGED;
            if (newUntagged && oldUntagged) {
                return Check.OVERLAP;
            }
            if (!newUntagged && !oldUntagged && newer.tag() == older.tag()) {
                return Check.OVERLAP_TAG;
            }
        }
        if (na == TaskAttribute.HEAD_OF_QUEUE) {
            return older.atomic() && touchesRange(newer, older.extent()) ? Check.BLOCK : Check.PASS;
        }
        if (oa == TaskAttribute.ORDERED || oa == TaskAttribute.HEAD_OF_QUEUE) {
            return Check.BLOCK;
        }
        if (newer.serialization() == null || older.serialization() == null) {
            return Check.PASS;
        }
        return switch (SerializationTable.cell(newer.serialization(), older.serialization())) {
            case PASS -> Check.PASS;
            case BLOCK -> Check.BLOCK;
            case BLOCK_OPT -> unrestricted ? Check.PASS : Check.BLOCK;
            case EXTENT -> extentCheck(newer.extent(), older.extent(), seq == SerSeq.ON);
            case EXTENT_OPT -> unrestricted ? Check.PASS : extentCheck(newer.extent(), older.extent(), false);
            case SEQUENTIAL -> sequentialCheck(newer, older, seq);
        };
    }

    /** True when a medium-access command may touch {@code range} (unknown ranges may). */
    private static boolean touchesRange(OoaEntry e, LbaExtent range) {
        SerializationClass c = e.serialization();
        boolean medium = c == SerializationClass.READ || c == SerializationClass.WRITE
                || c == SerializationClass.UNMAP;
        return medium && (e.extent() == null || range == null || e.extent().overlaps(range));
    }

    /** Unknown ranges (an UNMAP before its data arrived) collide; {@code adjacent}: touching ranges collide too. */
    private static Check extentCheck(LbaExtent n, LbaExtent o, boolean adjacent) {
        if (n == null || o == null || n.overlaps(o)) {
            return Check.BLOCK;
        }
        return adjacent && o.end() == n.lba() ? Check.BLOCK : Check.PASS;
    }

    /**
     * READ after READ: with serseq read/on a read that starts where an older one ends waits for it; with soft only
     * while the older one has not been issued yet (is still blocked itself).
     */
    private static Check sequentialCheck(OoaEntry newer, OoaEntry older, SerSeq seq) {
        LbaExtent n = newer.extent();
        LbaExtent o = older.extent();
        if (seq == SerSeq.OFF || n == null || o == null || o.end() != n.lba()) {
            return Check.PASS;
        }
        if (seq == SerSeq.SOFT && older.state == OoaEntry.State.RUNNING) {
            return Check.PASS;
        }
        return Check.BLOCK;
    }

    /** What an abort did. */
    public record AbortOutcome(List<OoaEntry> removed, List<OoaEntry> flagged, List<OoaEntry> runnable,
                               CompletableFuture<Void> allGone) {
    }

    /**
     * Aborts every task {@code which} selects. Blocked ones leave the set at once ({@code removed}); running ones
     * are flagged and leave when their handler ends ({@code flagged}). {@code allGone} completes when every
     * selected task has left. {@code mode} decides how each task ends.
     */
    public synchronized AbortOutcome abort(Predicate<OoaEntry> which, Function<OoaEntry, OoaEntry.AbortMode> mode) {
        List<OoaEntry> selected = new ArrayList<>();
        for (OoaEntry o = oldest; o != null; o = o.newer) {
            if (which.test(o)) {
                selected.add(o);
            }
        }
        List<OoaEntry> removed = new ArrayList<>();
        List<OoaEntry> flagged = new ArrayList<>();
        List<OoaEntry> runnable = new ArrayList<>();
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        boolean[] first = new boolean[selected.size()];
        for (int i = 0; i < selected.size(); i++) {
            OoaEntry o = selected.get(i);
            first[i] = o.markAborted(mode.apply(o));
        }
        // Oldest first: a selected waiter is newer than its blocker, so it is still BLOCKED when its turn comes.
        for (int i = 0; i < selected.size(); i++) {
            OoaEntry o = selected.get(i);
            if (o.state == OoaEntry.State.BLOCKED) {
                removed.add(o);
                unlink(o, runnable);
            } else {
                if (o.leftSet == null) {
                    o.leftSet = new CompletableFuture<>();
                }
                gone.add(o.leftSet);
                if (first[i]) {
                    flagged.add(o);
                }
            }
        }
        return new AbortOutcome(removed, flagged, runnable,
                CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)));
    }

    /** True when a task of {@code nexus} with {@code tag} is in the set and not aborted (QUERY TASK). */
    public synchronized boolean containsLive(Nexus nexus, long tag) {
        for (OoaEntry o = oldest; o != null; o = o.newer) {
            if (!o.aborted() && o.tag() == tag && o.nexus().equals(nexus)) {
                return true;
            }
        }
        return false;
    }

    /** True when any task of {@code nexus} is in the set and not aborted (QUERY TASK SET). */
    public synchronized boolean containsLive(Nexus nexus) {
        for (OoaEntry o = oldest; o != null; o = o.newer) {
            if (!o.aborted() && o.nexus().equals(nexus)) {
                return true;
            }
        }
        return false;
    }

    /** The tasks in arrival order (for ctladm dumpooa and tests). */
    public synchronized List<OoaEntry> snapshot() {
        List<OoaEntry> all = new ArrayList<>(size);
        for (OoaEntry o = oldest; o != null; o = o.newer) {
            all.add(o);
        }
        return all;
    }

    /** The task a blocked task waits for, or null. */
    public synchronized OoaEntry blockerOf(OoaEntry e) {
        return e.blocker;
    }

    public synchronized int size() {
        return size;
    }
}

package io.jctl.core.serial;

import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.serial.TaskSet.Admission;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TaskAttribute;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jctl.core.serial.SerializationClass.INQ;
import static io.jctl.core.serial.SerializationClass.MD_SEL;
import static io.jctl.core.serial.SerializationClass.READ;
import static io.jctl.core.serial.SerializationClass.TUR;
import static io.jctl.core.serial.SerializationClass.WRITE;
import static io.jctl.core.task.TaskAttribute.ACA;
import static io.jctl.core.task.TaskAttribute.HEAD_OF_QUEUE;
import static io.jctl.core.task.TaskAttribute.ORDERED;
import static io.jctl.core.task.TaskAttribute.SIMPLE;
import static io.jctl.core.task.TaskAttribute.UNTAGGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task attributes, overlap rules, blocking and re-checking of ctl-facts §2.4. */
class TaskSetTest {
    private static final Nexus A = new Nexus("a", "a,i,1", 1);
    private static final Nexus B = new Nexus("b", "b,i,1", 1);

    private final TaskSet set = new TaskSet(() -> false, () -> SerSeq.OFF);

    private static OoaEntry e(Nexus n, long tag, TaskAttribute attr, SerializationClass c) {
        return new OoaEntry(n, tag, attr, c, null);
    }

    private static OoaEntry rw(Nexus n, long tag, SerializationClass c, long lba, long blocks) {
        return new OoaEntry(n, tag, SIMPLE, c, new LbaExtent(lba, blocks));
    }

    @Test
    void orderedWaitsForEverythingOlder() {
        assertEquals(Admission.RUN, set.admit(e(A, 1, SIMPLE, INQ)));
        assertEquals(Admission.BLOCKED, set.admit(e(B, 2, ORDERED, INQ)));
    }

    @Test
    void everythingWaitsForAnOlderOrderedOrHeadOfQueue() {
        OoaEntry ordered = e(A, 1, ORDERED, INQ);
        assertEquals(Admission.RUN, set.admit(ordered));
        OoaEntry simple = e(B, 2, SIMPLE, INQ);
        assertEquals(Admission.BLOCKED, set.admit(simple));
        assertSame(ordered, set.blockerOf(simple));

        TaskSet other = new TaskSet(() -> false, () -> SerSeq.OFF);
        assertEquals(Admission.RUN, other.admit(e(A, 1, HEAD_OF_QUEUE, INQ)));
        assertEquals(Admission.BLOCKED, other.admit(e(B, 2, SIMPLE, INQ)));
    }

    @Test
    void headOfQueuePassesEvenABarrier() {
        assertEquals(Admission.RUN, set.admit(e(A, 1, SIMPLE, MD_SEL)));
        assertEquals(Admission.BLOCKED, set.admit(e(B, 2, SIMPLE, TUR)));
        assertEquals(Admission.RUN, set.admit(e(B, 3, HEAD_OF_QUEUE, TUR)));
        assertEquals(Admission.RUN, set.admit(e(B, 4, HEAD_OF_QUEUE, MD_SEL)));
    }

    @Test
    void acaIsTreatedAsSimple() {
        assertEquals(Admission.RUN, set.admit(e(A, 1, ACA, INQ)));
        assertEquals(Admission.RUN, set.admit(e(B, 2, SIMPLE, INQ)), "an older ACA task is no barrier");
        assertEquals(Admission.RUN, set.admit(e(B, 3, ACA, INQ)), "a new ACA task does not wait like ORDERED");
    }

    @Test
    void untaggedOverlapOnlyWithinOneNexus() {
        assertEquals(Admission.RUN, set.admit(e(A, 1, UNTAGGED, INQ)));
        assertEquals(Admission.OVERLAPPED, set.admit(e(A, 2, UNTAGGED, INQ)));
        assertEquals(Admission.RUN, set.admit(e(B, 3, UNTAGGED, INQ)));
        assertEquals(2, set.size(), "a refused task is not in the set");
    }

    @Test
    void sameTagFromSameNexusIsTaggedOverlap() {
        assertEquals(Admission.RUN, set.admit(e(A, 7, SIMPLE, INQ)));
        assertEquals(Admission.TAG_OVERLAPPED, set.admit(e(A, 7, SIMPLE, INQ)));
        assertEquals(Admission.TAG_OVERLAPPED, set.admit(e(A, 7, HEAD_OF_QUEUE, INQ)));
        assertEquals(Admission.RUN, set.admit(e(B, 7, SIMPLE, INQ)), "same tag, other nexus");
        assertEquals(Admission.BLOCKED, set.admit(e(A, 7, ORDERED, INQ)), "ORDERED is decided first");
    }

    @Test
    void abortedOlderTaskNoLongerCountsForOverlap() {
        OoaEntry older = e(A, 7, SIMPLE, MD_SEL);
        set.admit(older);
        set.abort(x -> x == older, x -> OoaEntry.AbortMode.SILENT);
        // Still running, so it still orders later tasks, but its tag may be reused.
        assertEquals(Admission.BLOCKED, set.admit(e(A, 7, SIMPLE, TUR)));
    }

    @Test
    void waiterIsRecheckedFromScratchWhenItsBlockerLeaves() {
        OoaEntry y = rw(A, 1, WRITE, 0, 8);
        OoaEntry x = rw(A, 2, WRITE, 100, 8);
        OoaEntry w = rw(B, 3, READ, 0, 108);
        assertEquals(Admission.RUN, set.admit(y));
        assertEquals(Admission.RUN, set.admit(x));
        assertEquals(Admission.BLOCKED, set.admit(w));
        assertSame(x, set.blockerOf(w), "the newest colliding task blocks");
        assertEquals(List.of(), set.remove(x));
        assertSame(y, set.blockerOf(w), "blocked again by an older one");
        assertEquals(List.of(w), set.remove(y));
        assertFalse(w.blocked());
    }

    @Test
    void chainUnblocksStepByStep() {
        OoaEntry a = rw(A, 1, WRITE, 0, 8);
        OoaEntry b = rw(A, 2, WRITE, 4, 8);
        OoaEntry c = rw(A, 3, READ, 10, 2);
        set.admit(a);
        assertEquals(Admission.BLOCKED, set.admit(b));
        assertEquals(Admission.BLOCKED, set.admit(c));
        assertSame(b, set.blockerOf(c));
        assertEquals(List.of(b), set.remove(a));
        assertTrue(c.blocked());
        assertEquals(List.of(c), set.remove(b));
        assertEquals(List.of(c), set.snapshot());
    }

    @Test
    void waitersAreReleasedInArrivalOrder() {
        OoaEntry barrier = e(A, 1, SIMPLE, MD_SEL);
        OoaEntry t1 = e(B, 2, SIMPLE, TUR);
        OoaEntry t2 = e(B, 3, SIMPLE, TUR);
        set.admit(barrier);
        set.admit(t1);
        set.admit(t2);
        assertEquals(List.of(t1, t2), set.remove(barrier));
    }

    @Test
    void softSerSeqWaitsOnlyForAnOlderReadThatIsNotIssuedYet() {
        TaskSet soft = new TaskSet(() -> false, () -> SerSeq.SOFT);
        OoaEntry barrier = e(A, 1, SIMPLE, MD_SEL);
        OoaEntry r1 = rw(B, 2, READ, 0, 8);
        OoaEntry r2 = rw(B, 3, READ, 8, 8);
        soft.admit(barrier);
        assertEquals(Admission.BLOCKED, soft.admit(r1));
        assertEquals(Admission.BLOCKED, soft.admit(r2));
        assertSame(r1, soft.blockerOf(r2), "r1 not issued yet: the sequential successor waits for it");
    }

    @Test
    void abortRemovesBlockedAtOnceAndFlagsRunning() {
        OoaEntry running = e(A, 1, SIMPLE, MD_SEL);
        OoaEntry blocked = e(A, 2, SIMPLE, TUR);
        OoaEntry otherNexus = e(B, 3, SIMPLE, TUR);
        set.admit(running);
        set.admit(blocked);
        set.admit(otherNexus);
        TaskSet.AbortOutcome out = set.abort(x -> x.nexus().equals(A), x -> OoaEntry.AbortMode.SILENT);
        assertEquals(List.of(blocked), out.removed());
        assertEquals(List.of(running), out.flagged());
        assertFalse(out.allGone().isDone(), "the running task has not left yet");
        assertEquals(List.of(running, otherNexus), set.snapshot());
        assertSame(running, set.blockerOf(otherNexus), "a running aborted task still orders others");
        assertEquals(List.of(otherNexus), set.remove(running));
        assertTrue(out.allGone().isDone());
    }

    @Test
    void abortingABlockerAndItsWaiterTogetherRunsNeither() {
        OoaEntry running = e(A, 1, SIMPLE, MD_SEL);
        OoaEntry b1 = e(A, 2, SIMPLE, MD_SEL);
        OoaEntry b2 = e(A, 3, SIMPLE, TUR);
        OoaEntry survivor = e(B, 4, SIMPLE, TUR);
        set.admit(running);
        set.admit(b1);
        set.admit(b2);
        set.admit(survivor);
        TaskSet.AbortOutcome out = set.abort(x -> x == b1 || x == b2, x -> OoaEntry.AbortMode.SILENT);
        assertEquals(List.of(b1, b2), out.removed());
        assertEquals(List.of(), out.runnable(), "survivor still waits for the running barrier");
        assertSame(running, set.blockerOf(survivor));
        assertTrue(out.allGone().isDone());
    }

    @Test
    void queryHelpersIgnoreAbortedTasks() {
        OoaEntry t = e(A, 9, SIMPLE, MD_SEL);
        set.admit(t);
        assertTrue(set.containsLive(A, 9));
        assertTrue(set.containsLive(A));
        assertFalse(set.containsLive(B));
        set.abort(x -> true, x -> OoaEntry.AbortMode.SILENT);
        assertFalse(set.containsLive(A, 9));
        assertFalse(set.containsLive(A));
    }

    @Test
    void anAtomicCommandIsNotInterleavedEvenByHeadOfQueue() {
        OoaEntry caw = new OoaEntry(A, 1, SIMPLE, WRITE, new LbaExtent(10, 4), true);
        assertEquals(Admission.RUN, set.admit(caw));
        OoaEntry overlapping = new OoaEntry(B, 2, HEAD_OF_QUEUE, WRITE, new LbaExtent(13, 1));
        assertEquals(Admission.BLOCKED, set.admit(overlapping));
        assertSame(caw, set.blockerOf(overlapping));
        assertEquals(Admission.BLOCKED, set.admit(new OoaEntry(B, 3, HEAD_OF_QUEUE, READ, new LbaExtent(0, 11))));
        assertEquals(Admission.RUN, set.admit(new OoaEntry(B, 4, HEAD_OF_QUEUE, WRITE, new LbaExtent(14, 1))),
                "a range next to it is free");
        assertEquals(Admission.RUN, set.admit(e(B, 5, HEAD_OF_QUEUE, INQ)), "no medium access");
        assertEquals(List.of(overlapping), set.remove(caw).subList(0, 1));
    }

    @Test
    void headOfQueuePassesAnOrdinaryWrite() {
        assertEquals(Admission.RUN, set.admit(rw(A, 1, WRITE, 10, 4)));
        assertEquals(Admission.RUN, set.admit(new OoaEntry(B, 2, HEAD_OF_QUEUE, WRITE, new LbaExtent(10, 1))));
    }

    // ---- sub-tasks (a copy command's own I/O) ----

    @Test
    void subTaskPassesAnOrderedTaskThatWaitsForItsParent() {
        OoaEntry copy = e(A, 1, SIMPLE, SerializationClass.RD_CAP);
        assertEquals(Admission.RUN, set.admit(copy));
        OoaEntry ordered = e(B, 2, ORDERED, TUR);
        assertEquals(Admission.BLOCKED, set.admit(ordered));
        OoaEntry read = rw(A, 3, READ, 0, 8);
        assertEquals(Admission.RUN, set.admitWithin(copy, read), "the copy's own read is older than the ORDERED task");
        assertEquals(List.of(copy, read, ordered), set.snapshot(), "it takes the copy's place");
        assertTrue(set.remove(read).isEmpty(), "the ORDERED task still waits for the copy");
        assertEquals(List.of(ordered), set.remove(copy));
    }

    @Test
    void newerTasksAreOrderedAfterTheSubTask() {
        OoaEntry copy = e(A, 1, SIMPLE, SerializationClass.RD_CAP);
        set.admit(copy);
        OoaEntry barrier = e(B, 2, SIMPLE, MD_SEL);
        assertEquals(Admission.RUN, set.admit(barrier), "RD_CAP does not hold MODE SELECT");
        OoaEntry waiting = rw(B, 3, WRITE, 0, 8);
        assertEquals(Admission.BLOCKED, set.admit(waiting), "behind the MODE SELECT");
        OoaEntry write = rw(A, 4, WRITE, 4, 8);
        assertEquals(Admission.BLOCKED, set.admitWithin(copy, write), "MODE SELECT already runs: it is waited for");
        assertSame(barrier, set.blockerOf(write));
        assertEquals(List.of(write), set.remove(barrier), "the blocked newer write re-checks against the sub-task");
        assertSame(write, set.blockerOf(waiting));
        assertEquals(List.of(waiting), set.remove(write));
    }

    @Test
    void subTaskWaitsForARunningNewerOverlappingWrite() {
        OoaEntry copy = e(A, 1, SIMPLE, SerializationClass.RD_CAP);
        set.admit(copy);
        OoaEntry running = rw(B, 2, WRITE, 0, 8);
        assertEquals(Admission.RUN, set.admit(running));
        assertEquals(Admission.RUN, set.admitWithin(copy, rw(A, 3, READ, 8, 8)), "no overlap");
        OoaEntry read = rw(A, 4, READ, 4, 8);
        assertEquals(Admission.BLOCKED, set.admitWithin(copy, read));
        assertSame(running, set.blockerOf(read));
        assertEquals(List.of(read), set.remove(running));
    }

    @Test
    void subTaskIsOrderedAfterTheParentsOlderTasks() {
        OoaEntry older = rw(B, 1, WRITE, 0, 8);
        set.admit(older);
        OoaEntry copy = e(A, 2, HEAD_OF_QUEUE, SerializationClass.RD_CAP);
        assertEquals(Admission.RUN, set.admit(copy));
        OoaEntry write = rw(A, 3, WRITE, 4, 8);
        assertEquals(Admission.BLOCKED, set.admitWithin(copy, write));
        assertSame(older, set.blockerOf(write));
        assertEquals(List.of(write), set.remove(older));
    }

    @Test
    void subTaskPassesItsOwnOrderedParent() {
        OoaEntry copy = e(A, 1, ORDERED, SerializationClass.RD_CAP);
        assertEquals(Admission.RUN, set.admit(copy));
        assertEquals(Admission.RUN, set.admitWithin(copy, rw(A, 2, WRITE, 0, 8)));
    }

    @Test
    void parentOutsideTheSetMeansAnOrdinaryAdmission() {
        OoaEntry elsewhere = e(A, 1, SIMPLE, SerializationClass.RD_CAP);
        new TaskSet(() -> false, () -> SerSeq.OFF).admit(elsewhere);
        OoaEntry ordered = e(B, 2, ORDERED, TUR);
        set.admit(ordered);
        OoaEntry read = rw(A, 3, READ, 0, 8);
        assertEquals(Admission.BLOCKED, set.admitWithin(elsewhere, read), "an ORDERED task of this LUN is older");
        assertEquals(List.of(ordered, read), set.snapshot());
    }
}

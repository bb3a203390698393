package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.serial.OoaEntry;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jctl.core.tpc.CopyLists.cscd;
import static io.jctl.core.tpc.CopyLists.extendedCopy;
import static io.jctl.core.tpc.CopyLists.lid1;
import static io.jctl.core.tpc.CopyLists.lid4;
import static io.jctl.core.tpc.CopyLists.receive;
import static io.jctl.core.tpc.CopyLists.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EXTENDED COPY end to end through the dispatcher: data, ordering against other commands, aborts, removal. */
class ExtendedCopyTest {
    private static final int SELF = 0xffff;

    private TpcHarness h;
    private Nexus a;
    private Lun lun0;
    private Lun lun1;

    @BeforeEach
    void setUp() throws Exception {
        h = new TpcHarness();
        a = h.nexus("a");
        lun0 = h.disk(0, 8192, 512);
        lun1 = h.disk(1, 8192, 512);
        h.ready(a, 0, 1);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed + (i >> 9));
        }
        return b;
    }

    private Completion xcopy(int lun, byte[] list) throws InterruptedException {
        return h.run(a, lun, extendedCopy(0, list.length), list);
    }

    private ScsiTask submitXcopy(int lun, byte[] list) {
        return h.submit(a, lun, extendedCopy(0, list.length), list);
    }

    private static void assertCopyAborted(Completion c, int asc, int ascq, int segment) {
        assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
        assertEquals(String.format("a/%02x/%02x", asc, ascq), Sense.code(c.sense()));
        assertEquals(segment, CdbFields.u32(c.sense(), 8), "COMMAND-SPECIFIC INFORMATION: the failed segment");
    }

    @Test
    void copiesBetweenTwoLunsInChunks() throws Exception {
        byte[] data = pattern(3000 * 512, 1); // 1.5 MiB: two chunks
        h.write(a, 0, 100, data);
        Completion c = xcopy(0, lid1(1, 0, new byte[][] {cscd(lun0), cscd(lun1)},
                new byte[][] {segment(0, 1, 3000, 100, 4000)}));
        assertEquals(ScsiStatus.GOOD, c.status(), Sense.code(c.sense()));
        assertArrayEquals(data, Arrays.copyOfRange(h.bytes(1), 4000 * 512, 7000 * 512));
        assertEquals(2, h.storage(1).writesStarted.get(), "1 MiB chunks");
    }

    @Test
    void copiesWithinOneLunThroughTheOwnLunIndex() throws Exception {
        byte[] data = pattern(64 * 512, 2);
        h.write(a, 1, 0, data);
        Completion c = xcopy(1, lid1(1, 0, new byte[0][], new byte[][] {
            segment(SELF, SELF, 32, 0, 1000), segment(SELF, SELF, 32, 32, 1032)}));
        assertEquals(ScsiStatus.GOOD, c.status(), Sense.code(c.sense()));
        assertArrayEquals(data, Arrays.copyOfRange(h.bytes(1), 1000 * 512, 1064 * 512));
    }

    @Test
    void overlappingRangesInOneLunCopyLikeMemmove() throws Exception {
        byte[] data = pattern(100 * 512, 3);
        h.write(a, 0, 0, data);
        assertEquals(ScsiStatus.GOOD, xcopy(0, lid1(1, 0, new byte[0][],
                new byte[][] {segment(SELF, SELF, 100, 0, 50)})).status());
        assertArrayEquals(data, Arrays.copyOfRange(h.bytes(0), 50 * 512, 150 * 512));
    }

    @Test
    void destinationBlockCountAcrossBlockSizes() throws Exception {
        Lun big = h.disk(2, 1024, 4096);
        h.ready(a, 0, 1, 2);
        byte[] data = pattern(16 * 512, 4);
        h.write(a, 0, 8, data);
        byte[] dc = segment(0, 1, 2, 8, 10); // 2 destination blocks of 4 KiB
        dc[1] = 0x02;
        Completion c = xcopy(0, lid1(1, 0, new byte[][] {cscd(lun0), cscd(big)}, new byte[][] {dc}));
        assertEquals(ScsiStatus.GOOD, c.status(), Sense.code(c.sense()));
        assertArrayEquals(data, Arrays.copyOfRange(h.bytes(2), 10 * 4096, 12 * 4096));
        // 3 source blocks of 512 bytes are not a whole number of 4 KiB blocks
        Completion inexact = xcopy(0, lid1(2, 0, new byte[][] {cscd(lun0), cscd(big)},
                new byte[][] {segment(0, 1, 3, 0, 0)}));
        assertCopyAborted(inexact, 0x26, 0x0a, 0);
    }

    @Test
    void rangeBeyondTheDestinationEndAbortsTheCopyAndNamesTheSegment() throws Exception {
        Completion c = xcopy(0, lid1(1, 0, new byte[0][], new byte[][] {
            segment(SELF, SELF, 1, 0, 1), segment(SELF, SELF, 16, 0, 8190)}));
        assertCopyAborted(c, 0x00, 0x00, 1);
        assertEquals(8192, CdbFields.u32(c.sense(), 3), "INFORMATION: first LBA past the end");
    }

    @Test
    void cscdIndexBeyondTheListIsAnUnreachableTarget() throws Exception {
        assertCopyAborted(xcopy(0, lid1(1, 0, new byte[][] {cscd(lun0)}, new byte[][] {segment(0, 1, 1, 0, 0)})),
                0x08, 0x04, 0);
    }

    @Test
    void copyTargetsAreOnlyLunsTheRequestingPortShows() throws Exception {
        h.write(a, 1, 0, pattern(512, 9));
        h.port.setLunMap(Map.of(0, 0));
        byte[] list = lid1(1, 0, new byte[][] {cscd(lun1)}, new byte[][] {segment(0, SELF, 1, 0, 0)});
        assertCopyAborted(xcopy(0, list), 0x08, 0x04, 0);
        h.disk(3, 64, 512, "insecure_tpc", "on");
        h.port.setLunMap(Map.of(0, 0, 3, 3));
        h.ready(a, 0, 3);
        assertEquals(ScsiStatus.GOOD, xcopy(3, list).status(), "insecure_tpc reaches unmapped LUNs");
        assertArrayEquals(pattern(512, 9), Arrays.copyOf(h.bytes(3), 512));
    }

    @Test
    void verifyCscdSegmentChecksTheTarget() throws Exception {
        byte[] verify = new byte[12];
        verify[0] = 0x07;
        verify[3] = 0x08;
        verify[8] = 0x01; // TUR
        assertEquals(ScsiStatus.GOOD, xcopy(0, lid1(1, 0, new byte[][] {cscd(lun1)}, new byte[][] {verify})).status());
        lun1.setStopped(true);
        assertCopyAborted(xcopy(0, lid1(1, 0, new byte[][] {cscd(lun1)}, new byte[][] {verify})), 0x0d, 0x01, 0);
        verify[5] = 1;
        assertCopyAborted(xcopy(0, lid1(1, 0, new byte[][] {cscd(lun1)}, new byte[][] {verify})), 0x08, 0x04, 0);
    }

    @Test
    void emptyParameterListDoesNothing() throws Exception {
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, extendedCopy(0, 0)).status());
    }

    @Test
    void parameterListLongerThanTheLimitIsRefusedBeforeDataMoves() throws Exception {
        ScsiTask t = h.submit(a, 0, extendedCopy(0, 16 + 8192 + 1), null);
        Completion c = h.transport.await(t);
        assertEquals("5/1a/00", Sense.code(c.sense()));
        assertFalse(h.transport.receives.containsKey(t));
    }

    @Test
    void copyWaitsForAnOverlappingWriteOnTheDestination() throws Exception {
        byte[] src = pattern(8 * 512, 5);
        h.write(a, 0, 0, src);
        h.storage(1).close(true);
        byte[] other = pattern(8 * 512, 6);
        byte[] w = new byte[16];
        w[0] = (byte) 0x8a;
        CdbFields.put64(w, 2, 100);
        CdbFields.put32(w, 10, 8);
        ScsiTask write = h.submit(a, 1, w, other);
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 1, "the initiator's write");
        ScsiTask copy = submitXcopy(0, lid1(1, 0, new byte[][] {cscd(lun0), cscd(lun1)},
                new byte[][] {segment(0, 1, 8, 0, 100)}));
        TpcHarness.awaitTrue(() -> h.core.context(lun1).tasks().size() == 2
                && h.core.context(lun1).tasks().snapshot().get(1).blocked(), "the copy's write to queue up");
        assertEquals(1, h.storage(1).writesStarted.get(), "the copy's write waits for the older one");
        h.storage(1).open();
        assertEquals(ScsiStatus.GOOD, h.transport.await(write).status());
        assertEquals(ScsiStatus.GOOD, h.transport.await(copy).status());
        assertArrayEquals(src, Arrays.copyOfRange(h.bytes(1), 100 * 512, 108 * 512), "the copy wrote last");
    }

    @Test
    void laterWriteToTheCopiedRangeWaitsForTheCopy() throws Exception {
        h.storage(1).close(true);
        ScsiTask copy = submitXcopy(0, lid1(1, 0, new byte[][] {cscd(lun0), cscd(lun1)},
                new byte[][] {segment(0, 1, 8, 0, 100)}));
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 1, "the copy's write");
        byte[] later = pattern(8 * 512, 7);
        byte[] w = new byte[16];
        w[0] = (byte) 0x8a;
        CdbFields.put64(w, 2, 104);
        CdbFields.put32(w, 10, 8);
        ScsiTask write = h.submit(a, 1, w, later);
        OoaEntry newest = h.core.context(lun1).tasks().snapshot().get(1);
        assertTrue(newest.blocked(), "an overlapping initiator write waits for the copy's write");
        h.storage(1).open();
        assertEquals(ScsiStatus.GOOD, h.transport.await(copy).status());
        assertEquals(ScsiStatus.GOOD, h.transport.await(write).status());
        assertArrayEquals(later, Arrays.copyOfRange(h.bytes(1), 104 * 512, 112 * 512));
    }

    /**
     * CTL deadlocks here: the copy's next chunk would wait for the ORDERED task, which waits for the copy. The
     * chunk takes the copy command's place in the task set instead; the ORDERED task still runs only after the copy.
     */
    @Test
    void orderedTaskOnTheCopyManagerLunWaitsForACopyOfThatLunWithoutDeadlock() throws Exception {
        byte[] data = pattern(3000 * 512, 8);
        h.write(a, 0, 0, data);
        h.storage(0).close(true);
        ScsiTask copy = submitXcopy(0, lid1(1, 0, new byte[0][], new byte[][] {segment(SELF, SELF, 3000, 0, 4000)}));
        TpcHarness.awaitTrue(() -> h.storage(0).writesStarted.get() == 2, "the copy's first chunk write");
        byte[] w = new byte[16];
        w[0] = (byte) 0x8a;
        CdbFields.put64(w, 2, 7500);
        CdbFields.put32(w, 10, 1);
        ScsiTask ordered = h.submit(a, 0, io.jctl.core.task.TaskAttribute.ORDERED, w, pattern(512, 9));
        TpcHarness.awaitTrue(() -> h.core.context(lun0).tasks().snapshot().stream()
                .anyMatch(e -> e.blocked() && e.attribute() == io.jctl.core.task.TaskAttribute.ORDERED),
                "the ORDERED task to wait");
        h.storage(0).open();
        assertEquals(ScsiStatus.GOOD, h.transport.await(copy).status(), "the copy finishes past the ORDERED task");
        assertEquals(ScsiStatus.GOOD, h.transport.await(ordered).status());
        assertEquals(4, h.storage(0).writesStarted.get(), "setup write, two copy chunks, then the ORDERED write");
        assertArrayEquals(data, Arrays.copyOfRange(h.bytes(0), 4000 * 512, 7000 * 512));
        assertArrayEquals(pattern(512, 9), Arrays.copyOfRange(h.bytes(0), 7500 * 512, 7501 * 512));
    }

    @Test
    void abortTaskStopsTheCopyBetweenChunks() throws Exception {
        h.storage(1).close(true);
        byte[] list = lid4(9, 0, new byte[][] {cscd(lun0), cscd(lun1)}, new byte[][] {segment(0, 1, 6000, 0, 0)});
        ScsiTask copy = h.submit(a, 0, extendedCopy(1, list.length), list);
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 1, "the first chunk's write");
        CompletableFuture<?> tmf = h.core.taskManagement(new TmfRequest(TmfFunction.ABORT_TASK, a,
                LunAddress.encode(0), copy.tag()));
        h.storage(1).open();
        tmf.get(10, TimeUnit.SECONDS);
        TpcHarness.awaitTrue(() -> h.transport.aborted.contains(copy), "the copy to end");
        assertFalse(h.transport.byTask.containsKey(copy), "aborted by its own nexus: no status");
        assertEquals(1, h.storage(1).writesStarted.get(), "no chunk after the abort");
        Completion status = h.run(a, 0, receive(0x05, 9, 64));
        assertEquals(0x60, status.data()[5] & 0xff, "LID4 status: terminated");
    }

    @Test
    void copyOperationAbortEndsTheCopyWithTaskAborted() throws Exception {
        h.storage(1).close(true);
        ScsiTask copy = submitXcopy(0, lid1(4, 0, new byte[][] {cscd(lun0), cscd(lun1)},
                new byte[][] {segment(0, 1, 6000, 0, 0)}));
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 1, "the first chunk's write");
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, CopyLists.copyOperationAbort(4)).status());
        h.storage(1).open();
        assertEquals(ScsiStatus.TASK_ABORTED, h.transport.await(copy).status());
        assertEquals("5/24/00", Sense.code(h.run(a, 0, CopyLists.copyOperationAbort(5)).sense()));
    }

    @Test
    void lunResetOfACopyTargetAbortsTheCopy() throws Exception {
        Lun lun2 = h.disk(2, 8192, 512);
        h.ready(a, 0, 1, 2);
        h.storage(2).close(true);
        ScsiTask copy = submitXcopy(0, lid1(1, 0, new byte[][] {cscd(lun1), cscd(lun2)},
                new byte[][] {segment(0, 1, 6000, 0, 0)}));
        TpcHarness.awaitTrue(() -> h.storage(2).writesStarted.get() == 1, "the first chunk's write");
        CompletableFuture<?> reset = h.core.taskManagement(new TmfRequest(TmfFunction.LOGICAL_UNIT_RESET, a,
                LunAddress.encode(2), 0));
        h.storage(2).open();
        reset.get(10, TimeUnit.SECONDS);
        Completion c = h.transport.await(copy);
        assertCopyAborted(c, 0x0d, 0x01, 0);
        assertEquals(1, h.storage(2).writesStarted.get());
    }

    @Test
    void removingACopyTargetMidCopyAbortsTheCopy() throws Exception {
        Lun lun2 = h.disk(2, 8192, 512);
        h.ready(a, 0, 1, 2);
        RamBackend.GatedLun storage2 = h.storage(2);
        storage2.close(true);
        ScsiTask copy = submitXcopy(0, lid1(1, 0, new byte[][] {cscd(lun1), cscd(lun2)},
                new byte[][] {segment(0, 1, 6000, 0, 0)}));
        TpcHarness.awaitTrue(() -> storage2.writesStarted.get() == 1, "the first chunk's write");
        CompletableFuture<Void> removed = CompletableFuture.runAsync(() -> {
            try {
                h.core.removeLun(2);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TpcHarness.awaitTrue(() -> h.core.lun(2).isEmpty(), "the LUN to leave");
        storage2.open();
        removed.get(10, TimeUnit.SECONDS);
        assertCopyAborted(h.transport.await(copy), 0x0d, 0x02, 0);
    }

    @Test
    void duplicateListIdentifierWhileRunningIsOperationInProgress() throws Exception {
        h.storage(1).close(true);
        byte[] list = lid1(3, 0, new byte[][] {cscd(lun0), cscd(lun1)}, new byte[][] {segment(0, 1, 8, 0, 0)});
        ScsiTask first = submitXcopy(0, list);
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 1, "the first copy's write");
        assertEquals("5/00/16", Sense.code(xcopy(0, list).sense()));
        h.storage(1).open();
        assertEquals(ScsiStatus.GOOD, h.transport.await(first).status());
        assertEquals(ScsiStatus.GOOD, xcopy(0, list).status(), "the identifier is free again once it ended");
    }
}

package io.jctl.core.dispatch;

import io.jctl.core.lun.LunType;
import io.jctl.core.mode.ModePages;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.stats.IoCounters;
import io.jctl.core.stats.IoType;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jctl.core.testing.TestCommands.DATA_OUT;
import static io.jctl.core.testing.TestCommands.FAIL_IN;
import static io.jctl.core.testing.TestCommands.FAIL_OUT;
import static io.jctl.core.testing.TestCommands.INQUIRY;
import static io.jctl.core.testing.TestCommands.READ10;
import static io.jctl.core.testing.TestCommands.SERVICE_ACTION_IN;
import static io.jctl.core.testing.TestCommands.START_STOP;
import static io.jctl.core.testing.TestCommands.SYNC10;
import static io.jctl.core.testing.TestCommands.TUR;
import static io.jctl.core.testing.TestCommands.WRITE10;
import static io.jctl.core.testing.TestCommands.cdb;
import static io.jctl.core.testing.TestCommands.cdb10;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CDB validation, the precheck order of ctl-facts §1.3, command endings and statistics. */
class DispatcherTest {
    private CoreHarness h;
    private Nexus a;

    @BeforeEach
    void setUp() throws Exception {
        h = new CoreHarness();
        a = h.nexus("a");
        h.disk(0);
        h.clearUnitAttentions(a, 0);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static void assertCheck(Completion c, String code) {
        assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
        assertEquals(code, Sense.code(c.sense()));
    }

    @Test
    void unknownOpcodeIsInvalidCommandOperationCode() throws Exception {
        Completion c = h.run(a, 0, cdb(0xee));
        assertCheck(c, "5/20/00");
        assertEquals(0x70, c.sense()[0] & 0xff);
        assertEquals(0, Sense.sks(c.sense()), "no field pointer");
    }

    @Test
    void unknownServiceActionPointsAtByte1Bit4() throws Exception {
        Completion c = h.run(a, 0, cdb(SERVICE_ACTION_IN, 0x11));
        assertCheck(c, "5/24/00");
        assertEquals(0xcc0001, Sense.sks(c.sense()), "SKSV, C/D, BPV, bit 4, byte 1");
    }

    @Test
    void bitOutsideTheMaskPointsAtFirstByteAndHighestBit() throws Exception {
        // TUR defines nothing in bytes 1-4; byte 1 has bits 5 and 0 set, byte 3 bit 7.
        Completion c = h.run(a, 0, cdb(TUR, 0x21, 0, 0x80, 0, 0));
        assertCheck(c, "5/24/00");
        assertEquals(0xcd0001, Sense.sks(c.sense()), "byte 1 bit 5");
    }

    @Test
    void controlByteIsGovernedByTheMask() throws Exception {
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(TUR, 0, 0, 0, 0, 0x04)).status(), "NACA bit is in the mask");
        Completion c = h.run(a, 0, cdb(TUR, 0, 0, 0, 0, 0x40));
        assertCheck(c, "5/24/00");
        assertEquals(0xce0005, Sense.sks(c.sense()), "vendor bit 6 of the CONTROL byte");
    }

    @Test
    void maskAppliesToServiceActionCommandsToo() throws Exception {
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(SERVICE_ACTION_IN, 0x10)).status());
        Completion c = h.run(a, 0, cdb(SERVICE_ACTION_IN, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02));
        assertCheck(c, "5/24/00");
        assertEquals(0xc9000e, Sense.sks(c.sense()), "byte 14 bit 1");
    }

    @Test
    void missingLunGetsLogicalUnitNotSupportedInFixedFormat() throws Exception {
        assertCheck(h.run(a, 9, cdb(TUR)), "5/25/00");
        assertEquals(ScsiStatus.GOOD, h.run(a, 9, cdb(INQUIRY, 0, 0, 0, 36, 0)).status(), "OK_ON_NO_LUN");
    }

    @Test
    void cdbIsValidatedBeforeTheLunIsFoundMissing() throws Exception {
        assertCheck(h.run(a, 9, cdb(0xee)), "5/20/00");
        assertCheck(h.run(a, 9, cdb(TUR, 0x01)), "5/24/00");
    }

    @Test
    void unsupportedLunAddressingIsAMissingLun() throws Exception {
        ScsiTask t = new ScsiTask(a, 0x8000_0000_0000_0000L, 99, TaskAttribute.SIMPLE, cdb(TUR), 0,
                io.jctl.core.task.DataDirection.NONE, h.transport);
        h.core.submit(t);
        assertCheck(h.transport.await(t), "5/25/00");
    }

    @Test
    void lunTypeCheckComesBeforeTheUnitAttention() throws Exception {
        h.lun(1, LunType.PROCESSOR);
        h.clearUnitAttentions(a, 0);
        assertCheck(h.run(a, 1, cdb10(READ10, 0, 1)), "5/20/00");
        assertCheck(h.run(a, 1, cdb(TUR)), "6/29/01");
    }

    @Test
    void loggedInNexusSeesPowerOnOfANewLunOnce() throws Exception {
        Nexus b = h.nexus("b");
        h.disk(2);
        assertCheck(h.run(b, 2, cdb(TUR)), "6/29/01");
        assertEquals(ScsiStatus.GOOD, h.run(b, 2, cdb(TUR)).status());
    }

    @Test
    void aNexusFirstSeenHasNothingPending() throws Exception {
        Nexus late = h.nexus("late");
        assertEquals(ScsiStatus.GOOD, h.run(late, 0, cdb(TUR)).status(), "iscsi-ls -s sends TUR first");
    }

    @Test
    void noSenseCommandsDoNotReportOrClearTheUnitAttention() throws Exception {
        Nexus b = h.nexus("b");
        h.disk(2);
        assertEquals(ScsiStatus.GOOD, h.run(b, 2, cdb(INQUIRY, 0, 0, 0, 36, 0)).status());
        assertCheck(h.run(b, 2, cdb(TUR)), "6/29/01");
    }

    @Test
    void unitAttentionComesBeforeWriteProtection() throws Exception {
        Nexus b = h.nexus("b");
        h.disk(2, "readonly", "on");
        assertCheck(h.run(b, 2, cdb10(WRITE10, 0, 1)), "6/29/01");
        assertCheck(h.run(b, 2, cdb10(WRITE10, 0, 1)), "7/27/01");
    }

    @Test
    void readOnlyStorageIsWriteProtected() throws Exception {
        h.disk(2, "storage_ro", "on");
        h.clearUnitAttentions(a, 2);
        assertCheck(h.run(a, 2, cdb10(WRITE10, 0, 1)), "7/27/01");
        ScsiTask read = h.submit(a, 2, cdb10(READ10, 0, 1));
        assertFalse(h.done(read), "reads are not write-protected");
        h.commands.held.get(read.tag()).complete();
    }

    /** Changes the current control mode page the way MODE SELECT does. */
    private void control(int lun, int index, int value) {
        ModePages pages = h.core.lun(lun).orElseThrow().modePages();
        byte[] page = pages.image(ModePages.CONTROL, 0, ModePages.PageControl.CURRENT).clone();
        page[index] = (byte) value;
        pages.select(List.of(new ModePages.PageUpdate(page, 0)), false);
    }

    @Test
    void softwareWriteProtectIs27h02h() throws Exception {
        control(0, 4, 0x08);
        assertCheck(h.run(a, 0, cdb10(WRITE10, 0, 1)), "7/27/02");
        h.disk(3, "readonly", "on");
        control(3, 4, 0x08);
        h.clearUnitAttentions(a, 3);
        assertCheck(h.run(a, 3, cdb10(WRITE10, 0, 1)), "7/27/01"); // read-only outranks SWP
    }

    @Test
    void descriptorSenseFollowsTheControlPage() throws Exception {
        control(0, 2, 0x04);
        Completion c = h.run(a, 0, cdb(TUR, 0x21));
        assertTrue(Sense.descriptor(c.sense()));
        assertArrayEquals(new byte[] {0x72, 0x05, 0x24, 0x00, 0, 0, 0, 8, 0x02, 0x06, 0, 0, (byte) 0xcd, 0, 1, 0},
                c.sense());
        assertEquals(0x70, h.run(a, 9, cdb(TUR)).sense()[0], "a missing LUN answers in fixed format");
    }

    @Test
    void maximumSenseLengthCapsTheSense() throws Exception {
        ModePages pages = h.core.lun(0).orElseThrow().modePages();
        byte[] ext = pages.image(ModePages.CONTROL, 0x01, ModePages.PageControl.CURRENT).clone();
        ext[6] = 14;
        pages.select(List.of(new ModePages.PageUpdate(ext, 0)), false);
        assertEquals(14, h.run(a, 0, cdb(TUR, 0x21)).sense().length);
    }

    @Test
    void queueAlgorithmModifierLetsSyncPassAWrite() throws Exception {
        ScsiTask w = h.submit(a, 0, cdb10(WRITE10, 0, 8));
        ScsiTask s1 = h.submit(a, 0, cdb10(SYNC10, 0, 0));
        assertFalse(h.commands.held.containsKey(s1.tag()), "restricted: SYNC waits for the WRITE");
        h.commands.held.get(w.tag()).complete();
        h.commands.held.get(s1.tag()).complete();

        h.disk(4, "reordering", "unrestricted");
        h.clearUnitAttentions(a, 4);
        ScsiTask w2 = h.submit(a, 4, cdb10(WRITE10, 0, 8));
        ScsiTask s2 = h.submit(a, 4, cdb10(SYNC10, 0, 0));
        assertTrue(h.commands.held.containsKey(s2.tag()), "unrestricted: SYNC passes");
        h.commands.held.get(w2.tag()).complete();
        h.commands.held.get(s2.tag()).complete();
    }

    @Test
    void stoppedLunIsNotReadyExceptForNoMediaCommands() throws Exception {
        h.core.lun(0).orElseThrow().setStopped(true);
        assertCheck(h.run(a, 0, cdb(TUR)), "2/04/02");
        ScsiTask start = h.submit(a, 0, cdb(START_STOP, 0, 0, 0, 1, 0));
        assertFalse(h.done(start), "START STOP UNIT is OK_ON_NO_MEDIA");
        h.commands.held.get(start.tag()).complete();
    }

    @Test
    void stateIsCheckedAgainWhenABlockedCommandIsReleased() throws Exception {
        ScsiTask start = h.submit(a, 0, cdb(START_STOP, 0, 0, 0, 0, 0));
        ScsiTask tur = h.submit(a, 0, cdb(TUR));
        assertFalse(h.done(tur), "TUR waits for START STOP UNIT");
        h.core.lun(0).orElseThrow().setStopped(true);
        h.commands.held.get(start.tag()).complete();
        assertCheck(h.transport.await(tur), "2/04/02");
    }

    @Test
    void untaggedOverlapIsAbortedCommand4E() throws Exception {
        ScsiTask first = h.task(a, 0, TaskAttribute.UNTAGGED, cdb10(READ10, 0, 1));
        ScsiTask second = h.task(a, 0, TaskAttribute.UNTAGGED, cdb10(READ10, 50, 1));
        h.core.submit(first);
        h.core.submit(second);
        assertCheck(h.transport.await(second), "b/4e/00");
        assertFalse(h.done(first));
        h.commands.held.get(first.tag()).complete();
        assertEquals(ScsiStatus.GOOD, h.transport.await(first).status());
    }

    @Test
    void taggedOverlapIsAbortedCommand4DWithTheTagLowByte() throws Exception {
        ScsiTask first = h.task(a, 0, 0x1234, TaskAttribute.SIMPLE, cdb10(READ10, 0, 1));
        ScsiTask dup = h.task(a, 0, 0x1234, TaskAttribute.SIMPLE, cdb10(READ10, 50, 1));
        h.core.submit(first);
        h.core.submit(dup);
        assertCheck(h.transport.await(dup), "b/4d/34");
        h.commands.held.get(first.tag()).complete();
    }

    @Test
    void overlappingWriteWaitsAndRunsWhenTheOlderOneCompletes() throws Exception {
        ScsiTask w1 = h.submit(a, 0, cdb10(WRITE10, 0, 8));
        ScsiTask r = h.submit(a, 0, cdb10(READ10, 4, 8));
        ScsiTask r2 = h.submit(a, 0, cdb10(READ10, 100, 8));
        assertTrue(h.commands.held.containsKey(w1.tag()));
        assertFalse(h.commands.held.containsKey(r.tag()), "blocked");
        assertTrue(h.commands.held.containsKey(r2.tag()), "disjoint read runs");
        h.commands.held.get(w1.tag()).complete();
        assertTrue(h.commands.held.containsKey(r.tag()), "released");
        h.commands.held.get(r.tag()).complete();
        h.commands.held.get(r2.tag()).complete();
    }

    @Test
    void secondCompletionIsIgnored() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb10(READ10, 0, 1));
        var cmd = h.commands.held.get(t.tag());
        cmd.complete();
        cmd.complete(Unpooled.buffer(4).writeInt(1));
        cmd.fail(new IllegalStateException("late"));
        assertEquals(ScsiStatus.GOOD, h.transport.await(t).status());
        assertEquals(1, h.transport.byTask.size() - countOthers(t));
    }

    private int countOthers(ScsiTask t) {
        return (int) h.transport.byTask.keySet().stream().filter(x -> x != t).count();
    }

    @Test
    void backendErrorsMapByDirection() throws Exception {
        assertCheck(h.run(a, 0, cdb(FAIL_IN, 1)), "3/11/00");
        assertCheck(h.run(a, 0, cdb(FAIL_OUT, 1)), "3/0c/02");
    }

    @Test
    void handlerBugsBecomeInternalTargetFailure() throws Exception {
        assertCheck(h.run(a, 0, cdb(FAIL_IN, 2)), "4/44/00");
    }

    @Test
    void wrappedScsiExceptionsAreUnwrapped() throws Exception {
        Completion c = h.run(a, 0, cdb(FAIL_IN, 3));
        assertCheck(c, "5/21/00");
        assertEquals(0x80, c.sense()[0] & 0x80, "INFORMATION valid");
        assertEquals(77, c.sense()[6]);
    }

    @Test
    void dataOutIsFetchedThroughTheTransport() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb(DATA_OUT, 0, 0, 0, 16, 0));
        assertFalse(h.done(t));
        h.transport.receives.get(t).complete(Unpooled.buffer(16).writeZero(16));
        assertEquals(ScsiStatus.GOOD, h.transport.await(t).status());
        IoCounters w = h.core.lunStats(0).get(IoType.WRITE);
        assertEquals(16, w.bytes());
        assertEquals(1, w.operations());
        assertEquals(1, w.dmas());
    }

    @Test
    void aThrowingDataOutContinuationEndsTheCommandAsAHandlerBug() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb(DATA_OUT, 1, 0, 0, 16, 0));
        h.transport.receives.get(t).complete(Unpooled.buffer(16).writeZero(16));
        assertCheck(h.transport.await(t), "4/44/00");
    }

    @Test
    void failedDataOutIsADataPhaseError() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb(DATA_OUT, 0, 0, 0, 16, 0));
        h.transport.receives.get(t).completeExceptionally(new java.io.IOException("connection reset"));
        assertCheck(h.transport.await(t), "b/4b/00");
        assertEquals(0, h.core.lunStats(0).get(IoType.WRITE).operations());
    }

    @Test
    void statisticsCountSuccessfulCommandsByDirection() throws Exception {
        long noIoBefore = h.core.lunStats(0).get(IoType.NO_IO).operations();
        h.run(a, 0, cdb(TUR));
        h.run(a, 0, cdb(FAIL_IN, 1));
        ScsiTask r = h.submit(a, 0, cdb10(READ10, 0, 1));
        h.commands.held.get(r.tag()).complete(Unpooled.buffer(512).writeZero(512));
        assertArrayEquals(new byte[512], h.transport.await(r).data());

        IoCounters read = h.core.lunStats(0).get(IoType.READ);
        assertEquals(512, read.bytes());
        assertEquals(1, read.operations(), "the failed command is not counted");
        assertEquals(1, read.dmas());
        assertTrue(read.timeNanos() > 0);
        assertEquals(noIoBefore + 1, h.core.lunStats(0).get(IoType.NO_IO).operations());
        IoCounters portRead = h.core.portStats(h.port.id()).get(IoType.READ);
        assertEquals(512, portRead.bytes());
        assertEquals(1, portRead.operations());
    }

    @Test
    void commandsToAMissingLunCountOnlyForThePort() throws Exception {
        long before = h.core.portStats(h.port.id()).get(IoType.READ).operations();
        h.run(a, 9, cdb(INQUIRY, 0, 0, 0, 36, 0));
        assertEquals(before + 1, h.core.portStats(h.port.id()).get(IoType.READ).operations());
    }

    @Test
    void unknownPortIsRefused() throws Exception {
        Nexus stray = new Nexus("x", "x,i,1", 99);
        Completion c = h.run(stray, 0, cdb(TUR));
        assertCheck(c, "5/25/00");
        assertNull(c.data());
    }
}

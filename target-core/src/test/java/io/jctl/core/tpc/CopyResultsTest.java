package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import io.jctl.core.dispatch.LunAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static io.jctl.core.tpc.CopyLists.cscd;
import static io.jctl.core.tpc.CopyLists.extendedCopy;
import static io.jctl.core.tpc.CopyLists.lid1;
import static io.jctl.core.tpc.CopyLists.lid4;
import static io.jctl.core.tpc.CopyLists.receive;
import static io.jctl.core.tpc.CopyLists.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RECEIVE COPY RESULTS, the retention of finished copies (injected clock), and the third-party copy VPD page. */
class CopyResultsTest {
    private static final int SELF = 0xffff;

    private TpcHarness h;
    private Nexus a;
    private Nexus b;
    private Lun lun0;

    @BeforeEach
    void setUp() throws Exception {
        h = new TpcHarness();
        a = h.nexus("a");
        b = h.nexus("b");
        lun0 = h.disk(0, 4096, 512);
        h.ready(a, 0);
        h.ready(b, 0);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Completion copy(Nexus n, int listId, int usage, int blocks, long dstLba) throws InterruptedException {
        byte[] list = lid1(listId, usage, new byte[0][], new byte[][] {segment(SELF, SELF, blocks, 0, dstLba)});
        return h.run(n, 0, extendedCopy(0, list.length), list);
    }

    private Completion status(Nexus n, int sa, long listId) throws InterruptedException {
        return h.run(n, 0, receive(sa, listId, 1024));
    }

    @Test
    void statusOfAFinishedCopyIsReportedOnceThenForgotten() throws Exception {
        assertEquals(ScsiStatus.GOOD, copy(a, 1, 0, 10, 100).status());
        Completion c = status(a, 0x00, 1);
        assertEquals(ScsiStatus.GOOD, c.status());
        assertArrayEquals(new byte[] {0, 0, 0, 8, 0x01, 0, 1, 0x00, 0, 0, 0x14, 0}, c.data(),
                "completed, 1 segment, 5120 bytes");
        assertInvalidListId(status(a, 0x00, 1));
    }

    @Test
    void unknownListIdentifierIsInvalidFieldInCdbAtTheListIdentifier() throws Exception {
        assertInvalidListId(status(a, 0x00, 1));
        assertInvalidListId(status(a, 0x04, 1));
        assertInvalidListId(status(a, 0x05, 1));
    }

    private static void assertInvalidListId(Completion c) {
        assertEquals("5/24/00", Sense.code(c.sense()));
        assertEquals(0xc00002, Sense.sks(c.sense()));
    }

    @Test
    void copiesOfOneInitiatorAreInvisibleToAnother() throws Exception {
        assertEquals(ScsiStatus.GOOD, copy(a, 1, 0, 1, 100).status());
        assertInvalidListId(status(b, 0x00, 1));
        assertEquals(ScsiStatus.GOOD, status(a, 0x00, 1).status());
    }

    @Test
    void finishedCopiesExpireAfterSixtySeconds() throws Exception {
        assertEquals(ScsiStatus.GOOD, copy(a, 1, 0, 1, 100).status());
        assertEquals(ScsiStatus.GOOD, copy(a, 2, 0, 1, 100).status());
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertEquals(ScsiStatus.GOOD, status(a, 0x00, 1).status());
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertInvalidListId(status(a, 0x00, 2));
    }

    @Test
    void listsWithoutIdentifierAreNotKept() throws Exception {
        assertEquals(ScsiStatus.GOOD, copy(a, 0, 3, 1, 100).status());
        assertInvalidListId(status(a, 0x00, 0));
    }

    @Test
    void failureDetailsCarryTheSenseOfTheFailedCopy() throws Exception {
        Completion failed = copy(a, 7, 0, 16, 4090);
        assertEquals("a/00/00", Sense.code(failed.sense()));
        Completion d = status(a, 0x04, 7);
        assertEquals(ScsiStatus.GOOD, d.status());
        byte[] data = d.data();
        int senseLength = CdbFields.u16(data, 58);
        assertEquals(18, senseLength);
        assertEquals(60 - 4 + senseLength, CdbFields.u32(data, 0));
        assertEquals(0x02, data[56], "completed with errors");
        assertArrayEquals(failed.sense(), Arrays.copyOfRange(data, 60, 60 + senseLength));
        assertInvalidListId(status(a, 0x04, 7));
    }

    @Test
    void lid4StatusReportsServiceActionCountsAndSense() throws Exception {
        byte[] list = lid4(0x01020304L, 0, new byte[0][], new byte[][] {segment(SELF, SELF, 8, 0, 100)});
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, extendedCopy(1, list.length), list).status());
        byte[] d = status(a, 0x05, 0x01020304L).data();
        assertEquals(28, CdbFields.u32(d, 0));
        assertEquals(0x01, d[4], "response to service action: LID4");
        assertEquals(0x01, d[5], "completed");
        assertEquals(2, CdbFields.u16(d, 6), "one read and one write");
        assertEquals(0, d[12], "GOOD");
        assertEquals(4096, CdbFields.u64(d, 16));
        assertEquals(1, CdbFields.u16(d, 24));
    }

    @Test
    void resetsForgetFinishedCopies() throws Exception {
        assertEquals(ScsiStatus.GOOD, copy(a, 1, 0, 1, 100).status());
        assertEquals(ScsiStatus.GOOD, copy(b, 1, 0, 1, 100).status());
        h.core.taskManagement(new TmfRequest(TmfFunction.I_T_NEXUS_RESET, a, LunAddress.encode(0), 0))
                .get(10, TimeUnit.SECONDS);
        h.ready(a, 0);
        assertInvalidListId(status(a, 0x00, 1));
        assertEquals(ScsiStatus.GOOD, copy(a, 2, 0, 1, 100).status());
        h.core.taskManagement(new TmfRequest(TmfFunction.LOGICAL_UNIT_RESET, a, LunAddress.encode(0), 0))
                .get(10, TimeUnit.SECONDS);
        h.ready(a, 0);
        h.ready(b, 0);
        assertInvalidListId(status(a, 0x00, 2));
        assertInvalidListId(status(b, 0x00, 1));
    }

    @Test
    void operatingParameters() throws Exception {
        byte[] d = status(a, 0x03, 0).data();
        assertEquals(47, d.length);
        assertEquals(43, CdbFields.u32(d, 0));
        assertEquals(1, d[4], "SNLID");
        assertEquals(64, CdbFields.u16(d, 8));
        assertEquals(64, CdbFields.u16(d, 10));
        assertEquals(8192, CdbFields.u32(d, 12));
        assertEquals(0, CdbFields.u32(d, 20), "no inline data");
        assertEquals(255, CdbFields.u16(d, 34));
        assertArrayEquals(new byte[] {3, 0x02, 0x07, (byte) 0xe4}, Arrays.copyOfRange(d, 43, 47));
        assertEquals(10, h.run(a, 0, receive(0x03, 0, 10)).data().length, "cut to the allocation length");
    }

    @Test
    void thirdPartyCopyVpdPageListsTheCommandsAndLimits() throws Exception {
        byte[] page = h.run(a, 0, new byte[] {0x12, 1, (byte) 0x8f, 0x04, 0, 0}).data();
        assertEquals((byte) 0x8f, page[1]);
        assertEquals(page.length - 4, CdbFields.u16(page, 2));
        int off = 4;
        int seen = 0;
        while (off < page.length) {
            int type = CdbFields.u16(page, off);
            int len = CdbFields.u16(page, off + 2);
            assertEquals(0, len % 4, "descriptor " + Integer.toHexString(type) + " length");
            switch (type) {
                case 0x0001 -> {
                    byte[] list = Arrays.copyOfRange(page, off + 5, off + 5 + page[off + 4]);
                    assertArrayEquals(new byte[] {(byte) 0x83, 5, 0x00, 0x01, 0x10, 0x11, 0x1c,
                        (byte) 0x84, 5, 0, 3, 4, 5, 7}, list);
                }
                case 0x0008 -> {
                    assertEquals(64, CdbFields.u16(page, off + 8));
                    assertEquals(64, CdbFields.u16(page, off + 10));
                    assertEquals(8192, CdbFields.u32(page, off + 12));
                }
                case 0x0081 -> assertArrayEquals(new byte[] {3, 0x02, 0x07, (byte) 0xe4},
                        Arrays.copyOfRange(page, off + 4, off + 8));
                case 0x0082 -> assertEquals(0xffff, CdbFields.u16(page, off + 6));
                case 0x8001 -> assertEquals(255, CdbFields.u32(page, off + 4));
                case 0x0000 -> assertEquals(600, CdbFields.u32(page, off + 12), "maximum inactivity timeout");
                case 0x0106 -> assertEquals(48, CdbFields.u16(page, off + 38), "block ROD token features");
                case 0x0108 -> {
                    assertEquals(0x00010000L, CdbFields.u32(page, off + 8));
                    assertEquals(0xffff0001L, CdbFields.u32(page, off + 8 + 64));
                }
                default -> throw new AssertionError("unexpected descriptor " + Integer.toHexString(type));
            }
            seen++;
            off += 4 + len;
        }
        assertEquals(8, seen);
        byte[] std = h.run(a, 0, new byte[] {0x12, 0, 0, 0, 96, 0}).data();
        assertEquals(0x08, std[5] & 0x08, "3PC");
    }
}

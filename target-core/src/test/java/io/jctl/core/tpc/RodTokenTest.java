package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POPULATE TOKEN, RECEIVE ROD TOKEN INFORMATION and WRITE USING TOKEN (ODX), including the block zero token. */
class RodTokenTest {
    private TpcHarness h;
    private Nexus a;

    @BeforeEach
    void setUp() throws Exception {
        h = new TpcHarness();
        a = h.nexus("a");
        h.disk(0, 4096, 512);
        h.disk(1, 4096, 512);
        h.ready(a, 0, 1);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed + (i >> 9));
        }
        return b;
    }

    private static byte[] ranges(long... lbaBlocks) {
        byte[] r = new byte[lbaBlocks.length / 2 * 16];
        for (int i = 0; i < lbaBlocks.length; i += 2) {
            CdbFields.put64(r, i * 8, lbaBlocks[i]);
            CdbFields.put32(r, i * 8 + 8, lbaBlocks[i + 1]);
        }
        return r;
    }

    private static byte[] cdb(int sa, long listId, int length) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x83;
        c[1] = (byte) sa;
        CdbFields.put32(c, 6, listId);
        CdbFields.put32(c, 10, length);
        return c;
    }

    private Completion populate(long listId, int timeout, byte[] ranges) throws InterruptedException {
        byte[] p = new byte[16 + ranges.length];
        CdbFields.put16(p, 0, p.length - 2);
        CdbFields.put32(p, 4, timeout);
        CdbFields.put16(p, 14, ranges.length);
        System.arraycopy(ranges, 0, p, 16, ranges.length);
        return h.run(a, 0, cdb(0x10, listId, p.length), p);
    }

    private byte[] token(long listId) throws InterruptedException {
        byte[] c = new byte[16];
        c[0] = (byte) 0x84;
        c[1] = 0x07;
        CdbFields.put32(c, 2, listId);
        CdbFields.put32(c, 10, 1024);
        Completion info = h.run(a, 0, c);
        assertEquals(ScsiStatus.GOOD, info.status());
        byte[] d = info.data();
        assertEquals(0x10, d[4], "response to POPULATE TOKEN");
        assertEquals(0x01, d[5], "completed");
        assertEquals(514, CdbFields.u32(d, 32));
        return Arrays.copyOfRange(d, 38, 38 + 512);
    }

    private Completion writeUsing(int lun, byte[] token, long offset, boolean delete, byte[] ranges)
            throws InterruptedException {
        byte[] p = new byte[536 + ranges.length];
        CdbFields.put16(p, 0, p.length - 2);
        p[2] = (byte) (delete ? 0x02 : 0);
        CdbFields.put64(p, 8, offset);
        System.arraycopy(token, 0, p, 16, 512);
        CdbFields.put16(p, 534, ranges.length);
        System.arraycopy(ranges, 0, p, 536, ranges.length);
        return h.run(a, lun, cdb(0x11, 77, p.length), p);
    }

    @Test
    void populatedTokenCopiesItsRangesWithAnOffset() throws Exception {
        byte[] first = pattern(10 * 512, 1);
        byte[] second = pattern(20 * 512, 2);
        h.write(a, 0, 100, first);
        h.write(a, 0, 300, second);
        assertEquals(ScsiStatus.GOOD, populate(5, 0, ranges(100, 10, 300, 20)).status());
        byte[] token = token(5);
        assertEquals(0x00010000L, CdbFields.u32(token, 0));
        Completion c = writeUsing(1, token, 4, false, ranges(0, 6, 1000, 20));
        assertEquals(ScsiStatus.GOOD, c.status(), Sense.code(c.sense()));
        assertArrayEquals(Arrays.copyOfRange(first, 4 * 512, 10 * 512), Arrays.copyOf(h.bytes(1), 6 * 512));
        assertArrayEquals(second, Arrays.copyOfRange(h.bytes(1), 1000 * 512, 1020 * 512));
    }

    @Test
    void tokenShorterThanTheDestinationCopiesWhatItHasThenFails() throws Exception {
        byte[] data = pattern(4 * 512, 3);
        h.write(a, 0, 0, data);
        populate(1, 0, ranges(0, 4));
        Completion c = writeUsing(1, token(1), 0, false, ranges(10, 8));
        assertEquals("5/26/00", Sense.code(c.sense()));
        assertArrayEquals(data, Arrays.copyOfRange(h.bytes(1), 10 * 512, 14 * 512));
    }

    @Test
    void blockDeviceZeroTokenZeroesTheRanges() throws Exception {
        h.write(a, 1, 0, pattern(16 * 512, 4));
        byte[] zero = new byte[512];
        CdbFields.put32(zero, 0, 0xffff0001L);
        assertEquals(ScsiStatus.GOOD, writeUsing(1, zero, 0, false, ranges(2, 4, 10, 2)).status());
        byte[] b = h.bytes(1);
        assertArrayEquals(new byte[4 * 512], Arrays.copyOfRange(b, 2 * 512, 6 * 512));
        assertArrayEquals(new byte[2 * 512], Arrays.copyOfRange(b, 10 * 512, 12 * 512));
        assertArrayEquals(Arrays.copyOfRange(pattern(16 * 512, 4), 6 * 512, 10 * 512),
                Arrays.copyOfRange(b, 6 * 512, 10 * 512), "blocks between the ranges are left alone");
    }

    @Test
    void unknownDeletedAndExpiredTokensAreRefused() throws Exception {
        byte[] made = new byte[512];
        CdbFields.put32(made, 0, 0x00010000L);
        assertEquals("5/23/04", Sense.code(writeUsing(1, made, 0, false, ranges(0, 1)).sense()));
        byte[] other = made.clone();
        CdbFields.put32(other, 0, 0x00800000L);
        assertEquals("5/23/01", Sense.code(writeUsing(1, other, 0, false, ranges(0, 1)).sense()));

        populate(1, 0, ranges(0, 1));
        byte[] once = token(1);
        assertEquals(ScsiStatus.GOOD, writeUsing(1, once, 0, true, ranges(0, 1)).status());
        assertEquals("5/23/04", Sense.code(writeUsing(1, once, 0, false, ranges(0, 1)).sense()), "deleted");

        populate(2, 5, ranges(0, 1));
        byte[] shortLived = token(2);
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertEquals(ScsiStatus.GOOD, writeUsing(1, shortLived, 0, false, ranges(0, 1)).status(), "5 s is not over");
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertEquals("5/23/04", Sense.code(writeUsing(1, shortLived, 0, false, ranges(0, 1)).sense()), "expired");
    }

    @Test
    void removingTheSourceLunInvalidatesItsTokens() throws Exception {
        Lun extra = h.disk(2, 64, 512);
        h.ready(a, 0, 1, 2);
        byte[] p = new byte[32];
        CdbFields.put16(p, 0, 30);
        CdbFields.put16(p, 14, 16);
        CdbFields.put32(p, 24, 1);
        assertEquals(ScsiStatus.GOOD, h.run(a, 2, cdb(0x10, 3, 32), p).status());
        byte[] c = new byte[16];
        c[0] = (byte) 0x84;
        c[1] = 0x07;
        CdbFields.put32(c, 2, 3);
        CdbFields.put32(c, 10, 1024);
        byte[] token = Arrays.copyOfRange(h.run(a, 2, c).data(), 38, 38 + 512);
        h.core.removeLun(extra.id());
        h.ready(a, 0, 1);
        assertEquals("5/23/04", Sense.code(writeUsing(1, token, 0, false, ranges(0, 1)).sense()));
    }

    @Test
    void populateTokenRefusals() throws Exception {
        assertEquals("5/26/00", Sense.code(populate(1, 601, ranges(0, 1)).sense()), "timeout above 600 s");
        assertEquals("5/21/00", Sense.code(populate(1, 0, ranges(4090, 10)).sense()));
        Completion overlap = populate(1, 0, ranges(0, 10, 5, 10));
        assertEquals("5/26/00", Sense.code(overlap.sense()));
        assertEquals(0x800020, Sense.sks(overlap.sense()), "points at the second range");
        byte[] p = new byte[32];
        CdbFields.put16(p, 0, 30);
        p[2] = 0x02; // RTV with another ROD type
        CdbFields.put32(p, 8, 0xffff0001L);
        CdbFields.put16(p, 14, 16);
        Completion rtv = h.run(a, 0, cdb(0x10, 1, 32), p);
        assertEquals(0x800008, Sense.sks(rtv.sense()));
        assertEquals("5/24/00", Sense.code(h.run(a, 0, cdb(0x10, 1, 8)).sense()), "parameter list too short");
    }
}

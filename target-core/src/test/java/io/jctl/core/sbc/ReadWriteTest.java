package io.jctl.core.sbc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadWriteTest {
    private final Fixtures fx = Fixtures.disk(1000);
    private final ReadWrite read = new ReadWrite(ReadWrite.Kind.READ);
    private final ReadWrite write = new ReadWrite(ReadWrite.Kind.WRITE);
    private final ReadWrite writeAndVerify = new ReadWrite(ReadWrite.Kind.WRITE_AND_VERIFY);

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] rw10(int op, int flags, long lba, int blocks) {
        return cdb(op, flags, (int) (lba >> 24), (int) (lba >> 16), (int) (lba >> 8), (int) lba, 0,
                blocks >> 8, blocks, 0);
    }

    static byte[] rw16(int op, int flags, long lba, long blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) op;
        c[1] = (byte) flags;
        for (int i = 0; i < 8; i++) {
            c[2 + i] = (byte) (lba >> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            c[10 + i] = (byte) (blocks >> (24 - 8 * i));
        }
        return c;
    }

    static byte[] rw12(int op, int flags, long lba, long blocks) {
        return cdb(op, flags, (int) (lba >> 24), (int) (lba >> 16), (int) (lba >> 8), (int) lba,
                (int) (blocks >> 24), (int) (blocks >> 16), (int) (blocks >> 8), (int) blocks, 0, 0);
    }

    @Test
    void write10ThenRead10() {
        byte[] data = random(3 * 512, 1);
        FakeCommand w = fx.command(rw10(0x2a, 0, 10, 3), data).run(write);
        assertTrue(w.succeeded());
        assertEquals(3 * 512, w.requestedDataOut);
        assertEquals(3 * 512, w.task().commandDataLength());
        assertEquals(0, fx.storage.fuaWrites, "write cache on, no FUA");
        FakeCommand r = fx.command(rw10(0x28, 0, 10, 3)).run(read);
        assertArrayEquals(data, r.dataIn());
        assertEquals(3 * 512, r.task().commandDataLength());
    }

    @Test
    void write16AndRead16AtTheLastBlocks() {
        byte[] data = random(2 * 512, 2);
        assertTrue(fx.command(rw16(0x8a, 0, 998, 2), data).run(write).succeeded());
        assertArrayEquals(data, fx.command(rw16(0x88, 0, 998, 2)).run(read).dataIn());
        assertArrayEquals(data, Arrays.copyOfRange(fx.storage.bytes(), 998 * 512, 1000 * 512));
    }

    @Test
    void write12AndRead12() {
        byte[] data = random(512, 3);
        assertTrue(fx.command(rw12(0xaa, 0, 7, 1), data).run(write).succeeded());
        assertArrayEquals(data, fx.command(rw12(0xa8, 0, 7, 1)).run(read).dataIn());
    }

    @Test
    void sixByteCommandsAndZeroMeaning256() {
        byte[] data = random(256 * 512, 4);
        assertTrue(fx.command(cdb(0x0a, 0, 0, 5, 0, 0), data).run(write).succeeded());
        FakeCommand r = fx.command(cdb(0x08, 0, 0, 5, 0, 0)).run(read);
        assertArrayEquals(data, r.dataIn());
        FakeCommand one = fx.command(cdb(0x08, 0, 0, 5, 1, 0)).run(read);
        assertArrayEquals(Arrays.copyOf(data, 512), one.dataIn());
    }

    @Test
    void fuaAndWriteCacheOff() {
        assertTrue(fx.command(rw10(0x2a, 0x08, 0, 1), new byte[512]).run(write).succeeded());
        assertEquals(1, fx.storage.fuaWrites);
        Fixtures noCache = new Fixtures(LunType.DIRECT, 10, 512, Map.of("writecache", "off"));
        assertTrue(noCache.command(rw10(0x2a, 0, 0, 1), new byte[512]).run(write).succeeded());
        assertEquals(1, noCache.storage.fuaWrites, "WCE=0 forces FUA");
        assertTrue(fx.command(rw10(0x2e, 0, 0, 1), new byte[512]).run(writeAndVerify).succeeded());
        assertEquals(2, fx.storage.fuaWrites, "WRITE AND VERIFY reaches stable storage");
    }

    @Test
    void write6HasNoFuaBit() {
        Fixtures big = Fixtures.disk(0x90000);
        assertTrue(big.command(cdb(0x0a, 0x08, 0, 0, 1, 0), new byte[512]).run(write).succeeded());
        assertEquals(0, big.storage.fuaWrites, "byte 1 bit 3 of WRITE(6) is an LBA bit");
        assertEquals(1, big.storage.writes);
    }

    @Test
    void dpoAndFuaOnReadsAreAccepted() {
        assertTrue(fx.command(rw10(0x28, 0x18, 0, 1)).run(read).dataIn().length == 512);
    }

    @Test
    void beyondTheEndReportsTheFirstBadLba() {
        ScsiException e = fx.command(rw10(0x28, 0, 999, 2)).run(read).assertSense(5, 0x21, 0);
        assertEquals(1000L, e.sense().information());
        e = fx.command(rw10(0x28, 0, 0xffffffffL, 1)).run(read).assertSense(5, 0x21, 0);
        assertEquals(0xffffffffL, e.sense().information());
        e = fx.command(rw16(0x88, 0, -1L, 1)).run(read).assertSense(5, 0x21, 0);
        assertEquals(-1L, e.sense().information());
        FakeCommand w = fx.command(rw16(0x8a, 0, 1000, 1), new byte[512]).run(write);
        w.assertSense(5, 0x21, 0);
        assertEquals(-1, w.requestedDataOut, "no data is fetched for a bad range");
        fx.command(cdb(0x08, 0, 0x03, 0xe8, 1, 0)).run(read).assertSense(5, 0x21, 0);
    }

    @Test
    void zeroBlocksMoveNothingButAreRangeChecked() {
        FakeCommand r = fx.command(rw10(0x28, 0, 1000, 0)).run(read);
        assertEquals(0, r.dataIn().length);
        FakeCommand w = fx.command(rw10(0x2a, 0, 0, 0), new byte[0]).run(write);
        assertTrue(w.succeeded());
        assertEquals(0, fx.storage.writes);
        fx.command(rw10(0x28, 0, 1001, 0)).run(read).assertSense(5, 0x21, 0);
    }

    @Test
    void tooLongTransferIsAnInvalidField() {
        Fixtures big = Fixtures.disk(70_000);
        big.command(rw16(0x88, 0, 0, 65537)).run(read).assertInvalidCdbField(10, -1);
        big.command(rw12(0xa8, 0, 0, 65537)).run(read).assertInvalidCdbField(6, -1);
        assertEquals(65536 * 512, big.command(rw16(0x88, 0, 0, 65536)).run(read).dataIn().length);
    }

    @Test
    void shortDataOutWritesOnlyWholeBlocksThatArrived() {
        byte[] data = random(512 + 100, 5);
        assertTrue(fx.command(rw10(0x2a, 0, 0, 2), data).run(write).succeeded());
        assertArrayEquals(Arrays.copyOf(data, 512), Arrays.copyOf(fx.storage.bytes(), 512));
        assertArrayEquals(new byte[512], Arrays.copyOfRange(fx.storage.bytes(), 512, 1024));
        assertTrue(fx.command(rw10(0x2a, 0, 5, 1), new byte[200]).run(write).succeeded());
        assertEquals(1, fx.storage.writes);
    }

    @Test
    void backendFailuresEndTheCommand() {
        BackendIoException err = new BackendIoException(BackendIoException.Kind.MEDIUM_ERROR, "bad sector");
        fx.storage.failWith(err);
        assertEquals(err, fx.command(rw10(0x28, 0, 0, 1)).run(read).failure());
        assertEquals(err, fx.command(rw10(0x2a, 0, 0, 1), new byte[512]).run(write).failure());
    }

    @Test
    void extentsFollowTheCdb() {
        assertEquals(new io.jctl.core.cdb.LbaExtent(5, 256), BlockRange.extent(cdb(0x08, 0, 0, 5, 0, 0)));
        assertEquals(new io.jctl.core.cdb.LbaExtent(0x01020304L, 7), BlockRange.extent(rw10(0x2a, 0, 0x01020304L, 7)));
        assertEquals(new io.jctl.core.cdb.LbaExtent(1L << 40, 0x10000L), BlockRange.extent(rw16(0x8a, 0, 1L << 40, 0x10000)));
        assertEquals(new io.jctl.core.cdb.LbaExtent(9, 0xffffffffL), BlockRange.extent(rw12(0xaf, 0, 9, 0xffffffffL)));
    }

    @Test
    void backendThrowingOnWriteEndsTheCommand() {
        IllegalStateException broken = new IllegalStateException("broken backend");
        fx.storage.throwOnCall(broken);
        assertEquals(broken, fx.command(rw10(0x2a, 0, 0, 1), new byte[512]).run(write).failure());
    }
}

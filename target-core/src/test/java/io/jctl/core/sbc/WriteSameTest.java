package io.jctl.core.sbc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.MemoryBackendLun.UnmapCall;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteSameTest {
    private final WriteSame writeSame = new WriteSame();

    static byte[] ws10(int flags, long lba, int blocks) {
        return Fixtures.cdb(0x41, flags, (int) (lba >> 24), (int) (lba >> 16), (int) (lba >> 8), (int) lba, 0,
                blocks >> 8, blocks, 0);
    }

    static byte[] ws16(int flags, long lba, long blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x93;
        c[1] = (byte) flags;
        for (int i = 0; i < 8; i++) {
            c[2 + i] = (byte) (lba >> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            c[10 + i] = (byte) (blocks >> (24 - 8 * i));
        }
        return c;
    }

    private static byte[] block(int value) {
        byte[] b = new byte[512];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static Fixtures thin(long blocks, Map<String, String> options) {
        Fixtures fx = new Fixtures(LunType.DIRECT, blocks, 512, options);
        fx.storage.setThin(true);
        return fx;
    }

    private static byte[] range(Fixtures fx, long lba, int blocks) {
        return Arrays.copyOfRange(fx.storage.bytes(), (int) lba * 512, (int) (lba + blocks) * 512);
    }

    @Test
    void writesTheBlockToEveryLbaOfTheRange() {
        Fixtures fx = Fixtures.disk(100);
        FakeCommand c = fx.command(ws10(0, 10, 5), block(0xa6)).run(writeSame);
        assertTrue(c.succeeded());
        assertEquals(512, c.requestedDataOut);
        byte[] expected = new byte[5 * 512];
        Arrays.fill(expected, (byte) 0xa6);
        assertArrayEquals(expected, range(fx, 10, 5));
        assertEquals(0, fx.storage.bytes()[15 * 512]);
        assertTrue(fx.command(ws16(0, 99, 1), block(1)).run(writeSame).succeeded());
        assertEquals(1, fx.storage.bytes()[99 * 512]);
    }

    @Test
    void lbdataStampsEachBlockWithItsLba() {
        Fixtures fx = Fixtures.disk(100);
        assertTrue(fx.command(ws10(WriteSame.LBDATA, 0x40, 3), block(0xff)).run(writeSame).succeeded());
        for (int i = 0; i < 3; i++) {
            byte[] b = range(fx, 0x40 + i, 1);
            assertArrayEquals(Fixtures.cdb(0, 0, 0, 0x40 + i), Arrays.copyOf(b, 4));
            assertEquals((byte) 0xff, b[4]);
        }
    }

    @Test
    void ndobWritesZerosWithoutDataOut() {
        Fixtures fx = Fixtures.disk(100);
        Arrays.fill(fx.storage.bytes(), (byte) 9);
        FakeCommand c = fx.command(ws16(WriteSame.NDOB, 20, 4)).run(writeSame);
        assertTrue(c.succeeded());
        assertEquals(-1, c.requestedDataOut);
        assertArrayEquals(new byte[4 * 512], range(fx, 20, 4));
        assertEquals(9, fx.storage.bytes()[24 * 512]);
    }

    @Test
    void unmapDeallocatesWhateverTheBlockHolds() {
        Fixtures fx = thin(100, Map.of());
        FakeCommand c = fx.command(ws10(WriteSame.UNMAP, 8, 16), block(0xff)).run(writeSame);
        assertTrue(c.succeeded());
        assertEquals(512, c.requestedDataOut, "the block is still received");
        assertEquals(List.of(new UnmapCall(8, 16, false)), fx.storage.unmaps);
        assertEquals(0, fx.storage.writes);
        assertTrue(fx.command(ws16(WriteSame.UNMAP | WriteSame.ANCHOR | WriteSame.NDOB, 0, 8)).run(writeSame)
                .succeeded());
        assertEquals(new UnmapCall(0, 8, true), fx.storage.unmaps.get(1));
    }

    @Test
    void flagRules() {
        Fixtures fx = thin(100, Map.of());
        fx.command(ws10(WriteSame.ANCHOR, 0, 1), block(0)).run(writeSame).assertInvalidCdbField(1, 4);
        fx.command(ws10(WriteSame.UNMAP | WriteSame.LBDATA, 0, 1), block(0)).run(writeSame)
                .assertInvalidCdbField(1, 1);
        fx.command(ws16(WriteSame.NDOB | WriteSame.LBDATA, 0, 1)).run(writeSame).assertInvalidCdbField(1, 1);
        fx.storage.setAnchoring(false);
        fx.command(ws10(WriteSame.UNMAP | WriteSame.ANCHOR, 0, 1), block(0)).run(writeSame)
                .assertInvalidCdbField(1, 4);
        Fixtures full = Fixtures.disk(100);
        full.command(ws10(WriteSame.UNMAP, 0, 1), block(0)).run(writeSame).assertInvalidCdbField(1, 3);
        thin(100, Map.of("unmap", "off")).command(ws16(WriteSame.UNMAP, 0, 1), block(0)).run(writeSame)
                .assertInvalidCdbField(1, 3);
        assertEquals(List.of(), fx.storage.unmaps);
    }

    @Test
    void rangeIsCheckedFirst() {
        Fixtures fx = Fixtures.disk(100);
        ScsiException e = fx.command(ws10(0, 99, 2), block(0)).run(writeSame).assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        e = fx.command(ws10(0, 101, 0), block(0)).run(writeSame).assertSense(5, 0x21, 0);
        assertEquals(101L, e.sense().information());
        e = fx.command(ws16(0, -1L, 0), block(0)).run(writeSame).assertSense(5, 0x21, 0);
        assertEquals(-1L, e.sense().information());
        assertEquals(0, fx.storage.writes);
    }

    @Test
    void zeroBlocksMeansToTheEndUnlessWsnz() {
        Fixtures fx = Fixtures.disk(100);
        assertTrue(fx.command(ws10(0, 90, 0), block(7)).run(writeSame).succeeded());
        assertEquals(7, fx.storage.bytes()[99 * 512 + 511]);
        assertEquals(7, fx.storage.bytes()[90 * 512]);
        assertEquals(0, fx.storage.bytes()[89 * 512 + 511]);
        assertTrue(fx.command(ws10(0, 100, 0), block(7)).run(writeSame).succeeded(), "nothing left to write");

        Fixtures limited = new Fixtures(LunType.DIRECT, 100, 512, Map.of("write_same_max_lba", "50"));
        limited.command(ws10(0, 0, 0), block(0)).run(writeSame).assertInvalidCdbField(7, -1);
        limited.command(ws16(0, 0, 0), block(0)).run(writeSame).assertInvalidCdbField(10, -1);
        limited.command(ws10(0, 0, 51), block(0)).run(writeSame).assertInvalidCdbField(7, -1);
        assertTrue(limited.command(ws10(0, 0, 50), block(0)).run(writeSame).succeeded());
        Fixtures roomy = new Fixtures(LunType.DIRECT, 100, 512, Map.of("write_same_max_lba", "100"));
        assertTrue(roomy.command(ws10(0, 0, 0), block(0)).run(writeSame).succeeded(), "WSNZ clear");
    }

    @Test
    void dataOutMustBeOneBlock() {
        Fixtures fx = thin(100, Map.of());
        for (byte[] wrong : List.of(new byte[256], new byte[1024])) {
            FakeCommand c = fx.command(ws10(WriteSame.UNMAP, 0, 1), wrong).run(writeSame);
            ScsiException e = c.assertSense(5, 0x24, 0);
            assertNull(e.sense().senseKeySpecific());
            assertEquals(-1, c.requestedDataOut);
        }
        assertEquals(List.of(), fx.storage.unmaps);
    }

    @Test
    void longRangesAreStreamedInBoundedPieces() {
        int blocks = 5 * WriteSame.CHUNK_BYTES / 512 + 3;
        Fixtures fx = Fixtures.disk(blocks + 10);
        assertTrue(fx.command(ws16(0, 10, blocks), block(0x3c)).run(writeSame).succeeded());
        assertEquals(6, fx.storage.writes, "five whole pieces and a short one");
        assertEquals(0x3c, fx.storage.bytes()[(blocks + 9) * 512]);
        assertEquals(0x3c, fx.storage.bytes()[10 * 512]);
        assertEquals(0, fx.storage.bytes()[10 * 512 - 1]);
    }

    @Test
    void writeCacheOffMakesEveryPieceFua() {
        Fixtures fx = new Fixtures(LunType.DIRECT, 100, 512, Map.of("writecache", "off"));
        assertTrue(fx.command(ws10(0, 0, 4), block(1)).run(writeSame).succeeded());
        assertEquals(1, fx.storage.fuaWrites);
    }

    @Test
    void spaceExhaustionEndsTheCommand() {
        Fixtures fx = Fixtures.disk(100);
        BackendIoException full = new BackendIoException(BackendIoException.Kind.NO_SPACE, "full");
        fx.storage.failWith(full);
        FakeCommand c = fx.command(ws10(0, 0, 4), block(1)).run(writeSame);
        assertEquals(BackendIoException.Kind.NO_SPACE, assertInstanceOf(BackendIoException.class, c.failure()).kind());
    }

    @Test
    void extentIsUnknownForToTheEndAndLongRanges() {
        assertNull(WriteSame.extent(ws10(0, 5, 0)));
        assertEquals(new io.jctl.core.cdb.LbaExtent(5, 7), WriteSame.extent(ws16(0, 5, 7)));
        assertEquals(new io.jctl.core.cdb.LbaExtent(5, 2048), WriteSame.extent(ws10(0, 5, 2048)));
        assertNull(WriteSame.extent(ws16(0, 5, 2049)), "long: ordered conservatively, run on a worker");
    }
}

package io.jctl.core.sbc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.lun.LunType;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.ua.UnitAttention;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jctl.core.sbc.ReadWriteTest.rw10;
import static io.jctl.core.sbc.ReadWriteTest.rw16;
import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** READ CAPACITY, SYNCHRONIZE CACHE and START STOP UNIT. */
class BlockCommandsTest {
    private final Fixtures fx = Fixtures.disk(1000);

    @Test
    void readCapacity10() {
        byte[] b = fx.command(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)).run(new ReadCapacity(false)).dataIn();
        assertArrayEquals(cdb(0, 0, 0x03, 0xe7, 0, 0, 2, 0), b);
    }

    @Test
    void readCapacity10CapsAt32Bits() {
        fx.storage.advertise(0x1_0000_0001L);
        byte[] b = fx.command(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)).run(new ReadCapacity(false)).dataIn();
        assertArrayEquals(cdb(0xff, 0xff, 0xff, 0xff, 0, 0, 2, 0), b);
        fx.storage.advertise(0x1_0000_0000L);
        b = fx.command(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)).run(new ReadCapacity(false)).dataIn();
        assertArrayEquals(cdb(0xff, 0xff, 0xff, 0xff, 0, 0, 2, 0), b, "last LBA FFFFFFFFh itself");
        byte[] b16 = fx.command(rw16(0x9e, 0x10, 0, 32)).run(new ReadCapacity(true)).dataIn();
        assertArrayEquals(cdb(0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff), java.util.Arrays.copyOf(b16, 8));
    }

    @Test
    void readCapacity16() {
        Fixtures f = new Fixtures(LunType.DIRECT, 1000, 512, Map.of("pblocksize", "4k", "pblockoffset", "3584"));
        byte[] b = f.command(rw16(0x9e, 0x10, 0, 32)).run(new ReadCapacity(true)).dataIn();
        assertEquals(32, b.length);
        assertArrayEquals(cdb(0, 0, 0, 0, 0, 0, 0x03, 0xe7, 0, 0, 2, 0, 0, 3, 0, 1), java.util.Arrays.copyOf(b, 16),
                "8 logical per physical, lowest aligned LBA 1");
        byte[] plain = fx.command(rw16(0x9e, 0x10, 0, 32)).run(new ReadCapacity(true)).dataIn();
        assertEquals(0, plain[13]);
        assertEquals(0, plain[14], "no LBPME/LBPRZ");
        for (int alloc = 0; alloc < 16; alloc++) {
            assertEquals(alloc, fx.command(rw16(0x9e, 0x10, 0, alloc)).run(new ReadCapacity(true)).dataIn().length);
        }
    }

    @Test
    void synchronizeCache() {
        SynchronizeCache sync = new SynchronizeCache();
        assertTrue(fx.command(rw10(0x35, 0, 0, 0)).run(sync).succeeded());
        assertTrue(fx.command(rw16(0x91, 0x02, 999, 1)).run(sync).succeeded());
        assertTrue(fx.command(rw10(0x35, 0, 1000, 0)).run(sync).succeeded());
        assertEquals(3, fx.storage.flushes);
        fx.command(rw10(0x35, 0, 999, 2)).run(sync).assertSense(5, 0x21, 0);
        fx.command(rw16(0x91, 0, 1001, 0)).run(sync).assertSense(5, 0x21, 0);
        assertEquals(3, fx.storage.flushes);
    }

    @Test
    void synchronizeCacheFailureAndImmed() {
        SynchronizeCache sync = new SynchronizeCache();
        fx.storage.failWith(new BackendIoException(BackendIoException.Kind.MEDIUM_ERROR, "x"));
        assertTrue(fx.command(rw10(0x35, 0, 0, 0)).run(sync).failure() instanceof BackendIoException);
        assertTrue(fx.command(rw10(0x35, 0x02, 0, 0)).run(sync).succeeded(), "IMMED: status before the flush");
    }

    @Test
    void startStop() {
        StartStopUnit ssu = new StartStopUnit();
        assertTrue(fx.command(cdb(0x1b, 0, 0, 0, 0x00, 0)).run(ssu).succeeded());
        assertTrue(fx.lun.stopped());
        assertTrue(fx.command(cdb(0x1b, 1, 0, 0, 0x01, 0)).run(ssu).succeeded());
        assertFalse(fx.lun.stopped());
        assertTrue(fx.command(cdb(0x1b, 0, 0, 0, 0x30, 0)).run(ssu).succeeded(), "power condition: no-op");
        assertFalse(fx.lun.stopped());
        fx.command(cdb(0x1b, 0, 0, 0, 0x02, 0)).run(ssu).assertInvalidCdbField(4, 1);
        assertTrue(fx.target.raised.isEmpty());
    }

    @Test
    void ejectAndLoadOnRemovable() {
        Fixtures cd = new Fixtures(LunType.CDROM, 100, 2048, Map.of());
        StartStopUnit ssu = new StartStopUnit();
        assertTrue(cd.command(cdb(0x1b, 0, 0, 0, 0x02, 0)).run(ssu).succeeded());
        assertTrue(cd.lun.stopped());
        assertTrue(cd.lun.ejected());
        assertTrue(cd.target.raised.isEmpty());
        assertTrue(cd.command(cdb(0x1b, 0, 0, 0, 0x03, 0)).run(ssu).succeeded());
        assertFalse(cd.lun.stopped());
        assertFalse(cd.lun.ejected());
        assertEquals(UnitAttention.MEDIUM_CHANGED, cd.target.raised.get(0).ua());
        assertEquals(FakeCommand.NEXUS, cd.target.raised.get(0).except(), "the loader knows");
        assertTrue(cd.command(cdb(0x1b, 0, 0, 0, 0x03, 0)).run(ssu).succeeded());
        assertEquals(1, cd.target.raised.size(), "loading a loaded medium changes nothing");
    }

    @Test
    void fakeCommandSeesNoSenseOnSuccess() {
        FakeCommand c = fx.command(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)).run(new ReadCapacity(false));
        assertTrue(c.succeeded());
        c.dataIn();
    }
}

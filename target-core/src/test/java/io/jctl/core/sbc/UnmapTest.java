package io.jctl.core.sbc;

import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.MemoryBackendLun.UnmapCall;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnmapTest {
    private final Unmap unmap = new Unmap();

    private static Fixtures thin(Map<String, String> options) {
        Fixtures fx = new Fixtures(LunType.DIRECT, 100, 512, options);
        fx.storage.setThin(true);
        return fx;
    }

    static byte[] cdb(int flags, int length) {
        return Fixtures.cdb(0x42, flags, 0, 0, 0, 0, 0, length >> 8, length, 0);
    }

    /** A parameter list with consistent header lengths; {@code ranges} are (lba, blocks) pairs. */
    static byte[] list(long... ranges) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * ranges.length);
        b.putShort((short) (6 + 8 * ranges.length)).putShort((short) (8 * ranges.length)).putInt(0);
        for (int i = 0; i < ranges.length; i += 2) {
            b.putLong(ranges[i]).putInt((int) ranges[i + 1]).putInt(0);
        }
        return b.array();
    }

    private static FakeCommand run(Fixtures fx, int flags, byte[] list) {
        return fx.command(cdb(flags, list.length), list).run(new Unmap());
    }

    @Test
    void deallocatesEveryRangeAndDropsEmptyOnes() {
        Fixtures fx = thin(Map.of());
        Arrays.fill(fx.storage.bytes(), (byte) 0x5a);
        FakeCommand c = run(fx, 0, list(2, 3, 50, 0, 90, 10));
        assertTrue(c.succeeded());
        assertEquals(List.of(new UnmapCall(2, 3, false), new UnmapCall(90, 10, false)), fx.storage.unmaps);
        assertEquals(0, fx.storage.bytes()[2 * 512]);
        assertEquals(0x5a, fx.storage.bytes()[5 * 512]);
    }

    @Test
    void anchorIsPassedOn() {
        Fixtures fx = thin(Map.of());
        assertTrue(run(fx, Unmap.ANCHOR, list(0, 8)).succeeded());
        assertEquals(List.of(new UnmapCall(0, 8, true)), fx.storage.unmaps);
    }

    @Test
    void emptyListsSucceed() {
        Fixtures fx = thin(Map.of());
        FakeCommand none = fx.command(cdb(0, 0)).run(unmap);
        assertTrue(none.succeeded());
        assertEquals(-1, none.requestedDataOut, "no parameter list is fetched");
        assertTrue(run(fx, 0, list()).succeeded());
        assertTrue(run(fx, 0, list(100, 0)).succeeded(), "zero blocks at the end of the LUN");
        assertEquals(List.of(), fx.storage.unmaps);
    }

    @Test
    void unmapOffIsAnUnknownCommand() {
        Fixtures full = Fixtures.disk(100);
        full.command(cdb(0, 24), list(0, 1)).run(unmap).assertSense(5, 0x20, 0);
        thin(Map.of("unmap", "off")).command(cdb(0, 24), list(0, 1)).run(unmap).assertSense(5, 0x20, 0);
    }

    @Test
    void parameterListShorterThanItsHeader() {
        Fixtures fx = thin(Map.of());
        fx.command(cdb(0, 7), new byte[7]).run(unmap).assertSense(5, 0x1a, 0);
        FakeCommand c = fx.command(cdb(0, 24), new byte[4]).run(unmap);
        c.assertSense(5, 0x1a, 0);
        assertEquals(24, c.requestedDataOut);
    }

    @Test
    void inconsistentLengthsPointAtTheirField() {
        Fixtures fx = thin(Map.of());
        byte[] l = list(0, 1);
        l[1] = 30; // UNMAP DATA LENGTH beyond the list
        run(fx, 0, l).assertInvalidParameterField(0, -1);
        l = list(0, 1);
        l[3] = 32; // descriptors beyond the list
        run(fx, 0, l).assertInvalidParameterField(2, -1);
        l = list(0, 1);
        l[3] = 12; // not a whole descriptor
        run(fx, 0, l).assertInvalidParameterField(2, -1);
        byte[] cut = Arrays.copyOf(list(0, 1, 4, 1), 30); // the CDB's length cuts the second descriptor
        fx.command(cdb(0, 30), cut).run(unmap).assertInvalidParameterField(0, -1);
        assertEquals(List.of(), fx.storage.unmaps);
    }

    @Test
    void rangesOutsideTheLunReportTheFirstBadLba() {
        Fixtures fx = thin(Map.of());
        ScsiException e = run(fx, 0, list(0, 1, 95, 10)).assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        e = run(fx, 0, list(150, 0)).assertSense(5, 0x21, 0);
        assertEquals(150L, e.sense().information());
        e = run(fx, 0, list(-1L, 2)).assertSense(5, 0x21, 0);
        assertEquals(-1L, e.sense().information(), "wrap-around");
        assertEquals(List.of(), fx.storage.unmaps, "nothing is deallocated when any descriptor is bad");
    }

    @Test
    void limitsOfTheBlockLimitsPage() {
        Fixtures fx = thin(Map.of("unmap_max_descr", "2", "unmap_max_lba", "16"));
        assertTrue(run(fx, 0, list(0, 8, 10, 8)).succeeded());
        run(fx, 0, list(0, 1, 2, 1, 4, 1)).assertInvalidParameterField(2, -1);
        run(fx, 0, list(0, 10, 20, 7)).assertInvalidParameterField(8 + 16 + 8, -1);
        assertEquals(2, fx.storage.unmaps.size());
    }

    @Test
    void anchorNeedsAnchorSupport() {
        Fixtures fx = thin(Map.of());
        fx.storage.setAnchoring(false);
        run(fx, Unmap.ANCHOR, list(0, 1)).assertInvalidCdbField(1, 0);
        assertEquals(List.of(), fx.storage.unmaps);
    }

    @Test
    void backendFailureEndsTheCommand() {
        Fixtures fx = thin(Map.of());
        fx.storage.failWith(new io.jctl.core.backend.BackendIoException(
                io.jctl.core.backend.BackendIoException.Kind.MEDIUM_ERROR, "broken"));
        FakeCommand c = run(fx, 0, list(0, 1, 4, 1));
        assertEquals(io.jctl.core.backend.BackendIoException.class, c.failure().getClass());
        assertEquals(1, fx.storage.unmaps.size(), "the second range is not tried after a failure");
    }
}

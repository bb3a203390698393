package io.jctl.core.sbc;

import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GetLbaStatusTest {
    private final GetLbaStatus handler = new GetLbaStatus();

    static byte[] cdb(long lba, long allocation) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x9e;
        c[1] = 0x12;
        for (int i = 0; i < 8; i++) {
            c[2 + i] = (byte) (lba >> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            c[10 + i] = (byte) (allocation >> (24 - 8 * i));
        }
        return c;
    }

    @Test
    void reportsTheRunStartingAtTheLba() {
        Fixtures fx = new Fixtures(LunType.DIRECT, 100, 512, Map.of());
        fx.storage.setThin(true);
        fx.command(WriteSameTest.ws10(0, 10, 20), new byte[512]).run(new WriteSame());
        fx.command(UnmapTest.cdb(Unmap.ANCHOR, 24), UnmapTest.list(30, 5)).run(new Unmap());
        byte[] b = fx.command(cdb(12, 24)).run(handler).dataIn();
        assertArrayEquals(Fixtures.cdb(0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 18, 0, 0, 0, 0), b,
                "mapped, 18 blocks");
        b = fx.command(cdb(0, 24)).run(handler).dataIn();
        assertEquals(10, b[19]);
        assertEquals(1, b[20], "deallocated");
        b = fx.command(cdb(31, 24)).run(handler).dataIn();
        assertEquals(4, b[19]);
        assertEquals(2, b[20], "anchored");
        b = fx.command(cdb(99, 24)).run(handler).dataIn();
        assertEquals(1, b[19]);
    }

    @Test
    void fullyProvisionedLunsReportEverythingMapped() {
        Fixtures fx = new Fixtures(LunType.DIRECT, 100, 512, Map.of("unmap", "off"));
        fx.storage.setThin(true);
        byte[] b = fx.command(cdb(40, 24)).run(handler).dataIn();
        assertEquals(60, b[19]);
        assertEquals(0, b[20]);
    }

    @Test
    void lbaPastTheEndIsOutOfRange() {
        Fixtures fx = Fixtures.disk(100);
        ScsiException e = fx.command(cdb(100, 24)).run(handler).assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        e = fx.command(cdb(-1L, 24)).run(handler).assertSense(5, 0x21, 0);
        assertEquals(-1L, e.sense().information());
    }

    @Test
    void allocationLengthCutsTheData() {
        Fixtures fx = Fixtures.disk(100);
        for (int alloc : new int[] {0, 4, 8, 16, 23}) {
            assertEquals(alloc, fx.command(cdb(0, alloc)).run(handler).dataIn().length);
        }
        byte[] whole = fx.command(cdb(0, 4096)).run(handler).dataIn();
        assertEquals(24, whole.length);
        assertArrayEquals(Fixtures.cdb(0, 0, 0, 20), Arrays.copyOf(whole, 4));
    }
}

package io.jctl.core.spc;

import io.jctl.core.lun.LunType;
import io.jctl.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ModeSenseTest {
    private final Fixtures fx = Fixtures.disk(100_000);
    private final ModeSense modeSense = new ModeSense();

    private byte[] sense6(int dbd, int pc, int page, int subpage, int alloc) {
        return fx.command(cdb(0x1a, dbd << 3, (pc << 6) | page, subpage, alloc, 0)).run(modeSense).dataIn();
    }

    /** Page codes (code/subpage) in a mode sense reply after header and block descriptor. */
    private static List<String> pages(byte[] data, int start) {
        List<String> codes = new ArrayList<>();
        int p = start;
        while (p < data.length) {
            boolean spf = (data[p] & 0x40) != 0;
            int len = spf ? 4 + (((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff)) : 2 + (data[p + 1] & 0xff);
            codes.add(String.format("%02x/%02x", data[p] & 0x3f, spf ? data[p + 1] & 0xff : 0));
            p += len;
        }
        assertEquals(data.length, p, "pages end exactly at the end of the data");
        return codes;
    }

    @Test
    void allPagesOfADisk() {
        byte[] b = sense6(0, 0, 0x3f, 0, 255);
        assertEquals(b.length - 1, b[0] & 0xff, "mode data length");
        assertEquals(0, b[1], "medium type");
        assertEquals(0x10, b[2], "DPOFUA, not write protected");
        assertEquals(8, b[3], "block descriptor length");
        assertArrayEquals(cdb(0, 1, 0x86, 0xa0, 0, 0, 2, 0), Arrays.copyOfRange(b, 4, 12), "100000 blocks of 512");
        assertEquals(List.of("01/00", "03/00", "04/00", "07/00", "08/00", "0a/00", "1c/00"), pages(b, 12));
    }

    @Test
    void allPagesAndSubpages() {
        byte[] b = sense6(1, 0, 0x3f, 0xff, 255);
        assertEquals(0, b[3], "DBD: no block descriptor");
        assertEquals(List.of("01/00", "03/00", "04/00", "07/00", "08/00", "0a/00", "0a/01", "1c/00"), pages(b, 4));
    }

    @Test
    void controlPageCurrentAndChangeable() {
        byte[] cur = sense6(1, 0, 0x0a, 0, 255);
        assertArrayEquals(cdb(0x8a, 0x0a, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0), Arrays.copyOfRange(cur, 4, 16));
        byte[] chg = sense6(1, 1, 0x0a, 0, 255);
        assertArrayEquals(cdb(0x8a, 0x0a, 0x04, 0xf8, 0x08, 0, 0, 0, 0, 0, 0, 0), Arrays.copyOfRange(chg, 4, 16));
        byte[] ext = sense6(1, 1, 0x0a, 0x01, 255);
        assertArrayEquals(cdb(0xca, 0x01, 0, 0x1c, 0, 0, 0xff), Arrays.copyOfRange(ext, 4, 11));
        assertEquals(36, ext.length);
    }

    @Test
    void cachingPageFollowsOptions() {
        byte[] on = sense6(1, 2, 0x08, 0, 255);
        assertEquals(0x14, on[6], "DISC WCE");
        Fixtures off = new Fixtures(LunType.DIRECT, 10, 512, Map.of("writecache", "off", "readcache", "off"));
        byte[] b = off.command(cdb(0x1a, 0x08, 0x08, 0, 255, 0)).run(modeSense).dataIn();
        assertEquals(0x11, b[6], "DISC RCD");
    }

    @Test
    void geometryPagesFollowCapacity() {
        fx.storage.setBlockCount(128L * 256 * 3 + 5);
        byte[] rigid = sense6(1, 0, 0x04, 0, 255);
        assertArrayEquals(cdb(0, 0, 3, 128), Arrays.copyOfRange(rigid, 6, 10), "3 cylinders, 128 heads");
        assertArrayEquals(cdb(0, 1), Arrays.copyOfRange(rigid, 24, 26), "rotation rate 1");
        byte[] fmt = sense6(1, 0, 0x03, 0, 255);
        assertArrayEquals(cdb(1, 0, 2, 0), Arrays.copyOfRange(fmt, 14, 18), "256 sectors/track, 512 bytes");
        byte[] bd = sense6(0, 0, 0x03, 0, 255);
        assertArrayEquals(cdb(0, 1, 0x80, 5), Arrays.copyOfRange(bd, 4, 8), "block descriptor follows resize");
    }

    @Test
    void writeProtectedLunSetsWp() {
        fx.storage.setReadOnly(true);
        assertEquals((byte) 0x90, sense6(0, 0, 0x3f, 0, 255)[2]);
    }

    @Test
    void processorHasNoBlockDescriptorNorDiskPages() {
        Fixtures proc = new Fixtures(LunType.PROCESSOR, 1, 512, Map.of());
        byte[] b = proc.command(cdb(0x1a, 0, 0x3f, 0xff, 255, 0)).run(modeSense).dataIn();
        assertEquals(0, b[3]);
        assertEquals(0x80, b[2] & 0xff, "processors are read-only by default");
        assertEquals(List.of("0a/00", "0a/01", "1c/00"), pages(b, 4));
        proc.command(cdb(0x1a, 0, 0x08, 0, 255, 0)).run(modeSense).assertInvalidCdbField(2, 5);
    }

    @Test
    void truncatedToAllocationLength() {
        byte[] full = sense6(0, 0, 0x3f, 0, 255);
        byte[] four = sense6(0, 0, 0x3f, 0, 4);
        assertArrayEquals(Arrays.copyOf(full, 4), four);
    }

    @Test
    void unknownPageAndSubpage() {
        fx.command(cdb(0x1a, 0, 0x19, 0, 255, 0)).run(modeSense).assertInvalidCdbField(2, 5);
        fx.command(cdb(0x1a, 0, 0x08, 0x05, 255, 0)).run(modeSense).assertInvalidCdbField(3, -1);
        fx.command(cdb(0x1a, 0, 0x3f, 0x05, 255, 0)).run(modeSense).assertInvalidCdbField(3, -1);
    }

    @Test
    void modeSense10WithLongBlockDescriptor() {
        byte[] b = fx.command(cdb(0x5a, 0x10, 0x08, 0, 0, 0, 0, 1, 0, 0)).run(modeSense).dataIn();
        assertEquals(b.length - 2, ((b[0] & 0xff) << 8) | (b[1] & 0xff));
        assertEquals(0x10, b[3], "DPOFUA");
        assertEquals(0x01, b[4], "LONGLBA");
        assertEquals(16, b[7]);
        assertArrayEquals(cdb(0, 0, 0, 0, 0, 1, 0x86, 0xa0, 0, 0, 0, 0, 0, 0, 2, 0), Arrays.copyOfRange(b, 8, 24));
        assertEquals(8 + 16 + 20, b.length);
        byte[] shortForm = fx.command(cdb(0x5a, 0, 0x08, 0, 0, 0, 0, 1, 0, 0)).run(modeSense).dataIn();
        assertEquals(0, shortForm[4]);
        assertEquals(8, shortForm[7]);
    }
}

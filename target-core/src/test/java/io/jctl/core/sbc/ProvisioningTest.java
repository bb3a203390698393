package io.jctl.core.sbc;

import io.jctl.core.lun.LunType;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.MemoryBackendLun;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static io.jctl.core.sbc.ReadWriteTest.rw16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvisioningTest {
    private static MemoryBackendLun storage(boolean thin) {
        MemoryBackendLun s = new MemoryBackendLun(1000, 512);
        s.setThin(thin);
        return s;
    }

    private static String refused(Map<String, String> options, boolean thin) {
        return assertThrows(IllegalArgumentException.class, () -> Provisioning.of(options, storage(thin)))
                .getMessage();
    }

    private static Fixtures thin(Map<String, String> options) {
        Fixtures fx = new Fixtures(LunType.DIRECT, 1000, 512, options);
        fx.storage.setThin(true);
        return fx;
    }

    @Test
    void defaultsFollowTheStorage() {
        Provisioning thin = Provisioning.of(Map.of(), storage(true));
        assertTrue(thin.enabled());
        assertTrue(thin.readsZeros());
        assertTrue(thin.anchor());
        assertEquals(Provisioning.MAX_32, thin.maxUnmapLba());
        assertEquals(4095, thin.maxUnmapDescriptors());
        assertEquals(Provisioning.UNLIMITED, thin.writeSameMaxLba());
        assertEquals(Provisioning.Type.THIN, thin.type());
        assertEquals(8, thin.granularityBlocks(512), "the storage's granularity");
        assertFalse(Provisioning.of(Map.of(), storage(false)).enabled());
        assertFalse(Provisioning.of(Map.of("unmap", "off"), storage(true)).enabled());
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertTrue(refused(Map.of("unmap", "on"), false).startsWith("option unmap=on: this storage cannot"));
        assertTrue(refused(Map.of("unmap", "maybe"), true).contains("unmap must be on or off"));
        assertTrue(refused(Map.of("unmap_max_lba", "0"), true).contains("unmap_max_lba 0 is not from 1"));
        assertTrue(refused(Map.of("unmap_max_descr", "4g"), true).contains("unmap_max_descr"));
        assertTrue(refused(Map.of("write_same_max_lba", "lots"), true).contains("write_same_max_lba: not a number"));
        assertTrue(refused(Map.of("provisioning_type", "fat"), true).contains("provisioning_type must be"));
        assertTrue(refused(Map.of("ublocksize", "1536"), true).contains("power-of-two multiple"));
        assertTrue(refused(Map.of("ublocksize", "256"), true).contains("ublocksize 256 is not from 512"));
        assertTrue(refused(Map.of("ublocksize", "4k", "ublockoffset", "4k"), true).contains("ublockoffset"));
        assertTrue(refused(Map.of("ublockoffset", "100"), true).contains("ublockoffset"));
        Provisioning p = Provisioning.of(Map.of("unmap_max_lba", "64k", "ublocksize", "64k", "ublockoffset", "1k",
                "provisioning_type", "resource"), storage(true));
        assertEquals(65536, p.maxUnmapLba());
        assertEquals(128, p.granularityBlocks(512));
        assertEquals(126, p.alignmentLba(512));
        assertEquals(Provisioning.Type.RESOURCE, p.type());
    }

    @Test
    void readCapacity16ReportsLbpmeAndLbprz() {
        byte[] b = thin(Map.of()).command(rw16(0x9e, 0x10, 0, 32)).run(new ReadCapacity(true)).dataIn();
        assertEquals((byte) 0xc0, b[14]);
        b = thin(Map.of("unmap", "off")).command(rw16(0x9e, 0x10, 0, 32)).run(new ReadCapacity(true)).dataIn();
        assertEquals(0, b[14]);
    }

    @Test
    void blockLimitsOfAThinLun() {
        byte[] b = BlockVpdPages.page(thin(Map.of("unmap_max_lba", "1m", "unmap_max_descr", "64")).lun, 0xb0);
        assertEquals(0, b[4], "WSNZ clear");
        assertArrayEquals(Fixtures.cdb(0, 0x10, 0, 0), Arrays.copyOfRange(b, 20, 24), "max unmap LBA count");
        assertArrayEquals(Fixtures.cdb(0, 0, 0, 64), Arrays.copyOfRange(b, 24, 28), "max unmap descriptors");
        assertArrayEquals(Fixtures.cdb(0, 0, 0, 8), Arrays.copyOfRange(b, 28, 32), "optimal unmap granularity");
        assertArrayEquals(Fixtures.cdb(0x80, 0, 0, 0), Arrays.copyOfRange(b, 32, 36), "UGAVALID, aligned at 0");
        assertArrayEquals(new byte[8], Arrays.copyOfRange(b, 36, 44), "no WRITE SAME limit reported");
    }

    @Test
    void blockLimitsWithAWriteSameLimitAndNoUnmap() {
        byte[] b = BlockVpdPages.page(new Fixtures(LunType.DIRECT, 1000, 512,
                Map.of("write_same_max_lba", "256")).lun, 0xb0);
        assertEquals(1, b[4], "WSNZ: the LUN is larger than the WRITE SAME limit");
        assertArrayEquals(new byte[16], Arrays.copyOfRange(b, 20, 36), "no unmap fields");
        assertArrayEquals(Fixtures.cdb(0, 0, 0, 0, 0, 0, 1, 0), Arrays.copyOfRange(b, 36, 44));
    }

    @Test
    void logicalBlockProvisioningPage() {
        assertArrayEquals(Fixtures.cdb(0, 0xb2, 0, 4, 11, 0xe6, 2, 0), BlockVpdPages.page(thin(Map.of()).lun, 0xb2),
                "LBPU LBPWS LBPWS10 LBPRZ ANC_SUP, thin");
        Fixtures noAnchor = thin(Map.of("provisioning_type", "resource"));
        noAnchor.storage.setAnchoring(false);
        assertArrayEquals(Fixtures.cdb(0, 0xb2, 0, 4, 11, 0xe4, 1, 0), BlockVpdPages.page(noAnchor.lun, 0xb2));
        assertArrayEquals(Fixtures.cdb(0, 0xb2, 0, 4, 11, 0, 0, 0),
                BlockVpdPages.page(thin(Map.of("unmap", "off")).lun, 0xb2), "fully provisioned");
    }
}

package io.jctl.core.mode;

import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModePagesTest {
    @Test
    void defaultsOfADisk() {
        ModePages p = ModePages.forLun(LunType.DIRECT, Map.of(), 512, 1000);
        assertFalse(p.descriptorSense());
        assertFalse(p.unrestrictedReordering());
        assertTrue(p.taskAbortedStatus());
        assertFalse(p.softwareWriteProtect());
        assertEquals(0, p.maxSenseLength());
        assertTrue(p.writeCacheEnabled());
        assertFalse(p.readCacheDisabled());
        assertTrue(p.hasPage(0x1c, 0));
        assertFalse(p.hasPage(0x1c, 0x02), "no provisioning thresholds without UNMAP");
    }

    @Test
    void optionsSetDefaults() {
        ModePages p = ModePages.forLun(LunType.DIRECT,
                Map.of("writecache", "off", "readcache", "off", "reordering", "unrestricted", "rpm", "15000"), 4096, 1);
        assertFalse(p.writeCacheEnabled());
        assertTrue(p.readCacheDisabled());
        assertTrue(p.unrestrictedReordering());
        byte[] rigid = p.image(0x04, 0, ModePages.PageControl.DEFAULT);
        assertEquals(15000, ((rigid[20] & 0xff) << 8) | (rigid[21] & 0xff));
        byte[] fmt = p.image(0x03, 0, ModePages.PageControl.CURRENT);
        assertEquals(4096, ((fmt[12] & 0xff) << 8) | (fmt[13] & 0xff));
    }

    @Test
    void noArgumentConstructorIsADisk() {
        ModePages p = new ModePages();
        assertTrue(p.hasPage(0x08, 0));
        assertTrue(p.writeCacheEnabled());
    }

    @Test
    void processorHasNoCachingPage() {
        ModePages p = ModePages.forLun(LunType.PROCESSOR, Map.of(), 512, 1);
        assertFalse(p.hasPageCode(0x08));
        assertTrue(p.writeCacheEnabled(), "nothing to force");
        assertEquals(List.of(0x0a, 0x0a, 0x1c),
                p.sense(ModePages.ALL_PAGES, ModePages.ALL_SUBPAGES, ModePages.PageControl.CURRENT).stream()
                        .map(b -> b[0] & 0x3f).toList());
    }

    @Test
    void geometryUpdates() {
        ModePages p = ModePages.forLun(LunType.DIRECT, Map.of(), 512, 0);
        p.updateGeometry(512, 128L * 256 * 0x1000000L);
        byte[] rigid = p.image(0x04, 0, ModePages.PageControl.CURRENT);
        assertEquals(0xff, rigid[2] & 0xff, "cylinders capped at 24 bits");
    }

    @Test
    void selectOfAChangeableBitOnly() {
        ModePages p = new ModePages();
        byte[] caching = p.image(0x08, 0, ModePages.PageControl.CURRENT);
        caching[2] &= ~0x04;
        assertTrue(p.select(List.of(new ModePages.PageUpdate(caching, 0)), false));
        assertFalse(p.writeCacheEnabled());
        assertFalse(p.select(List.of(new ModePages.PageUpdate(caching, 0)), false), "same again: no change");
        caching[2] ^= 0x10; // DISC: not changeable
        ScsiException e = assertThrows(ScsiException.class,
                () -> p.select(List.of(new ModePages.PageUpdate(caching, 40)), false));
        assertEquals(0x26, e.sense().asc());
        byte[] sks = e.sense().senseKeySpecific();
        assertEquals(0x80 | 0x08 | 4, sks[0] & 0xff);
        assertEquals(42, sks[2]);
    }
}

package io.jctl.core.spc;

import io.jctl.core.mode.ModePages;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.FakeTarget;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.ua.UnitAttention;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeSelectTest {
    private final Fixtures fx = Fixtures.disk(1000);
    private final ModeSelect modeSelect = new ModeSelect();
    private final ModeSense modeSense = new ModeSense();

    /** MODE SELECT(6) with PF and the given parameter list. */
    private FakeCommand select6(int byte1, byte[] list) {
        return fx.command(cdb(0x15, byte1, 0, 0, list.length, 0), list).run(modeSelect);
    }

    /** The current page as MODE SENSE(6) returns it, PS bit cleared, ready to send back. */
    private byte[] currentPage(int page, int subpage) {
        byte[] b = fx.command(cdb(0x1a, 0x08, page, subpage, 255, 0)).run(modeSense).dataIn();
        byte[] p = Arrays.copyOfRange(b, 4, b.length);
        p[0] &= 0x7f;
        return p;
    }

    private static byte[] list6(byte[] header, byte[]... pages) {
        int n = header.length;
        for (byte[] p : pages) {
            n += p.length;
        }
        byte[] out = Arrays.copyOf(header, n);
        int at = header.length;
        for (byte[] p : pages) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void setSwpRoundTrip() {
        byte[] control = currentPage(0x0a, 0);
        control[4] |= 0x08;
        FakeCommand c = select6(0x10, list6(new byte[4], control));
        assertTrue(c.succeeded(), () -> "failed: " + c.failure());
        assertTrue(fx.lun.modePages().softwareWriteProtect());
        assertTrue(fx.lun.writeProtected());
        assertEquals(0x08, currentPage(0x0a, 0)[4]);
        assertEquals(1, fx.target.raised.size());
        FakeTarget.RaisedUa ua = fx.target.raised.get(0);
        assertEquals(UnitAttention.MODE_PARAMETERS_CHANGED, ua.ua());
        assertEquals(FakeCommand.NEXUS, ua.except(), "the changing nexus gets no UA");
        assertEquals(0, fx.lun.modePages().image(0x0a, 0, ModePages.PageControl.SAVED)[4], "SP=0: not saved");
    }

    @Test
    void clearingWceForcesFuaAndSpSaves() {
        byte[] caching = currentPage(0x08, 0);
        caching[2] &= ~0x04;
        assertTrue(select6(0x11, list6(new byte[4], caching)).succeeded());
        assertFalse(fx.lun.modePages().writeCacheEnabled());
        assertEquals(0x10, fx.lun.modePages().image(0x08, 0, ModePages.PageControl.SAVED)[2]);
    }

    @Test
    void unchangedPageRaisesNoUnitAttention() {
        assertTrue(select6(0x10, list6(new byte[4], currentPage(0x0a, 0))).succeeded());
        assertTrue(fx.target.raised.isEmpty());
    }

    @Test
    void descriptorSenseAndQueueAlgorithm() {
        byte[] control = currentPage(0x0a, 0);
        control[2] |= 0x04;
        control[3] = 0x10;
        assertTrue(select6(0x10, list6(new byte[4], control)).succeeded());
        assertTrue(fx.lun.modePages().descriptorSense());
        assertTrue(fx.lun.modePages().unrestrictedReordering());
    }

    @Test
    void maxSenseLengthInControlExtension() {
        byte[] ext = currentPage(0x0a, 0x01);
        ext[6] = 32;
        assertTrue(select6(0x10, list6(new byte[4], ext)).succeeded());
        assertEquals(32, fx.lun.modePages().maxSenseLength());
    }

    @Test
    void pfMustBeSet() {
        select6(0x00, list6(new byte[4], currentPage(0x0a, 0))).assertInvalidCdbField(1, 4);
    }

    @Test
    void nonChangeableBitPointsAtByteAndBit() {
        byte[] control = currentPage(0x0a, 0);
        control[5] &= ~0x40; // TAS is not changeable
        select6(0x10, list6(new byte[4], control)).assertInvalidParameterField(4 + 5, 6);
        assertTrue(fx.lun.modePages().taskAbortedStatus(), "nothing changed");
    }

    @Test
    void nothingChangesWhenALaterPageIsBad() {
        byte[] control = currentPage(0x0a, 0);
        control[4] |= 0x08;
        byte[] caching = currentPage(0x08, 0);
        caching[3] = 1; // retention priority: not changeable
        select6(0x10, list6(new byte[4], control, caching)).assertInvalidParameterField(4 + 12 + 3, 0);
        assertFalse(fx.lun.modePages().softwareWriteProtect());
    }

    @Test
    void wrongPageLengthPointsAtTheLength() {
        byte[] control = Arrays.copyOf(currentPage(0x0a, 0), 10);
        control[1] = 8;
        select6(0x10, list6(new byte[4], control)).assertInvalidParameterField(5, -1);
        byte[] ext = currentPage(0x0a, 0x01);
        ext[3] = 0x1b;
        select6(0x10, list6(new byte[4], Arrays.copyOf(ext, 31))).assertInvalidParameterField(6, -1);
    }

    @Test
    void unknownPagePointsAtThePageCode() {
        byte[] page = new byte[12];
        page[0] = 0x19;
        page[1] = 10;
        select6(0x10, list6(new byte[4], page)).assertInvalidParameterField(4, 5);
        byte[] sub = new byte[8];
        sub[0] = 0x4a;
        sub[1] = 0x07;
        sub[3] = 4;
        select6(0x10, list6(new byte[4], sub)).assertInvalidParameterField(5, -1);
    }

    @Test
    void psBitIsReserved() {
        byte[] control = currentPage(0x0a, 0);
        control[0] |= (byte) 0x80;
        select6(0x10, list6(new byte[4], control)).assertInvalidParameterField(4, 7);
    }

    @Test
    void truncatedListsAreLengthErrors() {
        byte[] control = currentPage(0x0a, 0);
        select6(0x10, new byte[3]).assertSense(5, 0x1a, 0);
        select6(0x10, Arrays.copyOf(list6(new byte[4], control), 10)).assertSense(5, 0x1a, 0);
        byte[] header = {0, 0, 0, 8};
        select6(0x10, list6(header, new byte[4])).assertSense(5, 0x1a, 0);
    }

    @Test
    void blockDescriptorMustMatch() {
        byte[] header = {0, 0, 0, 8};
        byte[] good = {0, 0, 0x03, (byte) 0xe8, 0, 0, 2, 0};
        assertTrue(select6(0x10, list6(header, good, currentPage(0x0a, 0))).succeeded());
        byte[] zeroBlocks = {0, 0, 0, 0, 0, 0, 2, 0};
        assertTrue(select6(0x10, list6(header, zeroBlocks)).succeeded());
        byte[] otherSize = {0, 0, 0x03, (byte) 0xe8, 0, 0, 0x10, 0};
        select6(0x10, list6(header, otherSize)).assertInvalidParameterField(9, -1);
        byte[] otherCount = {0, 0, 0x03, (byte) 0xe9, 0, 0, 2, 0};
        select6(0x10, list6(header, otherCount)).assertInvalidParameterField(4, -1);
        select6(0x10, list6(new byte[] {0, 0, 0, 4}, new byte[4])).assertInvalidParameterField(3, -1);
    }

    @Test
    void modeSelect10WithLongDescriptor() {
        byte[] header = {0, 0, 0, 0, 1, 0, 0, 16};
        byte[] desc = new byte[16];
        desc[6] = 0x03;
        desc[7] = (byte) 0xe8;
        desc[14] = 2;
        byte[] caching = currentPage(0x08, 0);
        caching[2] |= 0x01;
        byte[] list = list6(header, desc, caching);
        FakeCommand c = fx.command(cdb(0x55, 0x10, 0, 0, 0, 0, 0, 0, list.length, 0), list).run(modeSelect);
        assertTrue(c.succeeded(), () -> "failed: " + c.failure());
        assertTrue(fx.lun.modePages().readCacheDisabled());
    }

    @Test
    void revertToDefaults() {
        byte[] control = currentPage(0x0a, 0);
        control[4] |= 0x08;
        assertTrue(select6(0x11, list6(new byte[4], control)).succeeded());
        fx.target.raised.clear();
        assertTrue(fx.command(cdb(0x15, 0x02, 0, 0, 0, 0)).run(modeSelect).succeeded());
        assertFalse(fx.lun.modePages().softwareWriteProtect());
        assertArrayEquals(fx.lun.modePages().image(0x0a, 0, ModePages.PageControl.DEFAULT),
                fx.lun.modePages().image(0x0a, 0, ModePages.PageControl.SAVED));
        assertEquals(1, fx.target.raised.size());
        fx.command(cdb(0x15, 0x02, 0, 0, 4, 0), new byte[4]).run(modeSelect).assertInvalidCdbField(4, -1);
    }

    @Test
    void emptyListChangesNothing() {
        FakeCommand c = fx.command(cdb(0x15, 0x10, 0, 0, 0, 0)).run(modeSelect);
        assertTrue(c.succeeded());
        assertEquals(-1, c.requestedDataOut, "no data-out requested");
    }
}

package io.jctl.core.spc;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jctl.core.testing.TestCommands.TUR;
import static io.jctl.core.testing.TestCommands.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** REQUEST SENSE and REPORT LUNS, byte by byte. */
class EngineSpcTest {
    private CoreHarness h;
    private Nexus a;

    @BeforeEach
    void setUp() throws Exception {
        h = new CoreHarness();
        a = h.nexus("a");
        h.disk(0);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] reportLuns(int select, int allocation) {
        return cdb(0xa0, 0, select, 0, 0, 0, allocation >> 24, allocation >> 16, allocation >> 8, allocation, 0, 0);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void requestSenseReturnsAndClearsThePendingUnitAttention() throws Exception {
        Completion c = h.run(a, 0, cdb(0x03, 0, 0, 0, 252, 0));
        assertEquals(ScsiStatus.GOOD, c.status());
        assertNull(c.sense());
        assertArrayEquals(bytes(0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x29, 0x01, 0, 0, 0, 0), c.data());
        assertEquals(18, c.task().commandDataLength());
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(TUR)).status(), "cleared");
        Completion none = h.run(a, 0, cdb(0x03, 0, 0, 0, 252, 0));
        assertArrayEquals(bytes(0x70, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), none.data(), "NO SENSE");
    }

    @Test
    void requestSenseDescBitGivesDescriptorFormat() throws Exception {
        Completion c = h.run(a, 0, cdb(0x03, 0x01, 0, 0, 252, 0));
        assertArrayEquals(bytes(0x72, 0x06, 0x29, 0x01, 0, 0, 0, 0), c.data());
    }

    @Test
    void requestSenseTruncatesToTheAllocationLength() throws Exception {
        Completion c = h.run(a, 0, cdb(0x03, 0, 0, 0, 3, 0));
        assertArrayEquals(bytes(0x70, 0, 0x06), c.data());
        assertEquals(3, c.task().commandDataLength());
        Completion zero = h.run(a, 0, cdb(0x03, 0, 0, 0, 0, 0));
        assertEquals(ScsiStatus.GOOD, zero.status());
        assertNull(zero.data());
    }

    @Test
    void requestSenseOnAMissingLunReportsLunNotSupportedWithGoodStatus() throws Exception {
        Completion c = h.run(a, 4, cdb(0x03, 0, 0, 0, 18, 0));
        assertEquals(ScsiStatus.GOOD, c.status());
        assertEquals("5/25/00", Sense.code(c.data()));
    }

    @Test
    void requestSenseRefusesReservedBits() throws Exception {
        Completion c = h.run(a, 0, cdb(0x03, 0x02, 0, 0, 18, 0));
        assertEquals("5/24/00", Sense.code(c.sense()));
        assertEquals(0xc90001, Sense.sks(c.sense()));
    }

    @Test
    void reportLunsListsVisibleLunsInPeripheralAndFlatFormat() throws Exception {
        h.disk(5);
        h.disk(300);
        Completion c = h.run(a, 0, reportLuns(0, 4096));
        assertEquals(ScsiStatus.GOOD, c.status());
        assertArrayEquals(bytes(0, 0, 0, 24, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0,
                0, 5, 0, 0, 0, 0, 0, 0,
                0x41, 0x2c, 0, 0, 0, 0, 0, 0), c.data());
        assertEquals(32, c.task().commandDataLength());
    }

    @Test
    void reportLunsTruncatesButKeepsTheFullListLength() throws Exception {
        h.disk(1);
        h.disk(2);
        Completion c = h.run(a, 0, reportLuns(2, 20));
        assertArrayEquals(bytes(0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0), c.data());
    }

    @Test
    void reportLunsSpecialSelectionsAreEmpty() throws Exception {
        for (int select : new int[] {0x01, 0x10, 0x11, 0x12}) {
            Completion c = h.run(a, 0, reportLuns(select, 16));
            assertArrayEquals(new byte[8], c.data(), "select " + select);
        }
    }

    @Test
    void reportLunsRefusesUnknownSelectionAndShortAllocation() throws Exception {
        Completion bad = h.run(a, 0, reportLuns(0x03, 4096));
        assertEquals("5/24/00", Sense.code(bad.sense()));
        assertEquals(0xc00002, Sense.sks(bad.sense()), "byte 2");
        Completion shortAlloc = h.run(a, 0, reportLuns(0, 15));
        assertEquals("5/24/00", Sense.code(shortAlloc.sense()));
        assertEquals(0xc00006, Sense.sks(shortAlloc.sense()), "byte 6");
    }

    @Test
    void reportLunsWorksWithoutLunZeroAndFollowsTheLunMap() throws Exception {
        h.disk(3);
        h.port.setLunMap(Map.of(1, 3));
        Completion c = h.run(a, 0, reportLuns(0, 64));
        assertArrayEquals(bytes(0, 0, 0, 8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0), c.data());
    }

    @Test
    void reportLunsClearsReportedLunsChangedEverywhere() throws Exception {
        h.disk(1);
        h.clearUnitAttentions(a, 0);
        h.clearUnitAttentions(a, 1);
        h.disk(2);
        h.run(a, 0, reportLuns(0, 64));
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(TUR)).status());
        assertEquals(ScsiStatus.GOOD, h.run(a, 1, cdb(TUR)).status());
    }
}

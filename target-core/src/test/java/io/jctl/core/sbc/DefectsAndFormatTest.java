package io.jctl.core.sbc;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.Test;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** READ DEFECT DATA (10/12) and FORMAT UNIT. */
class DefectsAndFormatTest {
    private final Fixtures fx = Fixtures.disk(100);

    @Test
    void readDefectData10EchoesTheFormatWithAnEmptyList() {
        byte[] b = fx.command(cdb(0x37, 0, 0x1d, 0, 0, 0, 0, 0, 32, 0)).run(new ReadDefectData()).dataIn();
        assertArrayEquals(cdb(0, 0x1d, 0, 0), b, "PLIST, GLIST, format 5");
        assertEquals(2, fx.command(cdb(0x37, 0, 0x08, 0, 0, 0, 0, 0, 2, 0)).run(new ReadDefectData()).dataIn().length,
                "cut to the allocation length");
    }

    @Test
    void readDefectData12() {
        byte[] b = fx.command(cdb(0xb7, 0x0c, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)).run(new ReadDefectData()).dataIn();
        assertArrayEquals(cdb(0, 0x0c, 0, 0, 0, 0, 0, 0), b);
        assertEquals(0, fx.command(cdb(0xb7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).run(new ReadDefectData()).dataIn().length);
    }

    @Test
    void formatWithoutDataSucceeds() {
        FakeCommand c = fx.command(cdb(0x04, 0, 0, 0, 0, 0)).run(new FormatUnit());
        assertTrue(c.succeeded());
        assertEquals(-1, c.requestedDataOut);
        assertEquals(0, fx.storage.writes, "the data is left alone");
    }

    @Test
    void formatHeaderWithoutDefectsSucceeds() {
        FakeCommand c = fx.command(cdb(0x04, 0x10, 0, 0, 0, 0), cdb(0, 0x0a, 0, 0)).run(new FormatUnit());
        assertTrue(c.succeeded());
        assertEquals(4, c.requestedDataOut);
        FakeCommand l = fx.command(cdb(0x04, 0x30, 0, 0, 0, 0), cdb(0, 0, 0, 0, 0, 0, 0, 0)).run(new FormatUnit());
        assertTrue(l.succeeded());
        assertEquals(8, l.requestedDataOut);
    }

    @Test
    void defectListsAreRefused() {
        fx.command(cdb(0x04, 0x10, 0, 0, 0, 0), cdb(0, 0, 0, 8)).run(new FormatUnit()).assertInvalidParameterField(2, -1);
        fx.command(cdb(0x04, 0x30, 0, 0, 0, 0), cdb(0, 0, 0, 0, 0, 0, 1, 0)).run(new FormatUnit())
                .assertInvalidParameterField(4, -1);
        fx.command(cdb(0x04, 0x10, 0, 0, 0, 0), cdb(0, 0)).run(new FormatUnit()).assertSense(5, 0x1a, 0);
    }

    @Test
    void throughTheCore() throws Exception {
        try (CoreHarness h = CoreHarness.standard()) {
            h.dataDisk(0);
            h.dataDisk(1, "readonly", "on");
            Nexus a = h.nexus("a");
            h.clearUnitAttentions(a, 0);
            h.clearUnitAttentions(a, 1);
            assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(0x04, 0, 0, 0, 0, 0)).status());
            assertEquals("7/27/01", Sense.code(h.run(a, 1, cdb(0x04, 0, 0, 0, 0, 0)).sense()));
            assertEquals(ScsiStatus.GOOD, h.run(a, 1, cdb(0x37, 0, 0x18, 0, 0, 0, 0, 0, 4, 0)).status());
            assertEquals("5/24/00", Sense.code(h.run(a, 0, cdb(0xb7, 0, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0)).sense()),
                    "address descriptor index is not offered");
        }
    }
}

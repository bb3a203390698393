package io.jctl.core.spc;

import io.jctl.core.lun.LunType;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InquiryTest {
    private final Fixtures fx = Fixtures.disk(2048);
    private final Inquiry inquiry = new Inquiry();

    private byte[] inquiry(int evpd, int page, int alloc) {
        return fx.command(cdb(0x12, evpd, page, alloc >> 8, alloc, 0)).run(inquiry).dataIn();
    }

    private static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.US_ASCII);
    }

    @Test
    void standardDataOfADisk() {
        byte[] b = inquiry(0, 0, 255);
        assertEquals(96, b.length);
        assertEquals(0x00, b[0]);
        assertEquals(0x00, b[1], "not removable");
        assertEquals(0x06, b[2]);
        assertEquals(0x12, b[3], "HISUP, format 2");
        assertEquals(91, b[4]);
        assertEquals(0x18, b[5], "TPGS implicit, 3PC");
        assertEquals(0x10, b[6], "MULTIP");
        assertEquals(0x02, b[7], "CMDQUE");
        assertEquals("FREEBSD ", ascii(b, 8, 8));
        assertEquals("CTLDISK         ", ascii(b, 16, 16));
        assertEquals("0001", ascii(b, 32, 4));
        assertArrayEquals(new byte[] {0x00, (byte) 0xa0, 0x04, 0x60, 0x09, 0x60, 0x04, (byte) 0xc0, 0, 0},
                Arrays.copyOfRange(b, 58, 68), "SAM-5, SPC-4, iSCSI, SBC-3");
    }

    @Test
    void allocationLengthCutsTheData() {
        byte[] full = inquiry(0, 0, 255);
        for (int alloc : new int[] {0, 1, 5, 36, 95, 96, 256}) {
            byte[] b = inquiry(0, 0, alloc);
            assertEquals(Math.min(alloc, 96), b.length);
            assertArrayEquals(Arrays.copyOf(full, b.length), b);
        }
    }

    @Test
    void removableLunSetsRmb() {
        Fixtures cd = new Fixtures(LunType.DIRECT, 100, 512, Map.of("removable", "on"));
        byte[] b = cd.command(cdb(0x12, 0, 0, 0, 96, 0)).run(inquiry).dataIn();
        assertEquals((byte) 0x80, b[1]);
    }

    @Test
    void missingLunReportsQualifierThree() {
        FakeCommand c = new FakeCommand(cdb(0x12, 0, 0, 0, 96, 0), null, fx.port, fx.target, null).run(inquiry);
        byte[] b = c.dataIn();
        assertEquals(0x7f, b[0]);
        assertEquals(96, b.length);
    }

    @Test
    void pageCodeWithoutEvpdIsInvalid() {
        fx.command(cdb(0x12, 0, 0x80, 0, 255, 0)).run(inquiry).assertInvalidCdbField(2, -1);
    }

    @Test
    void unknownVpdPageIsInvalid() {
        fx.command(cdb(0x12, 1, 0x8e, 0, 255, 0)).run(inquiry).assertInvalidCdbField(2, -1);
    }

    @Test
    void supportedPages() {
        byte[] b = inquiry(1, 0x00, 255);
        assertArrayEquals(cdb(0, 0, 0, 10, 0x00, 0x80, 0x83, 0x86, 0x87, 0x88, 0x8f, 0xb0, 0xb1, 0xb2), b);
        Fixtures proc = new Fixtures(LunType.PROCESSOR, 1, 512, Map.of());
        byte[] p = proc.command(cdb(0x12, 1, 0, 0, 255, 0)).run(inquiry).dataIn();
        assertArrayEquals(cdb(3, 0, 0, 7, 0x00, 0x80, 0x83, 0x86, 0x87, 0x88, 0x8f), p);
    }

    @Test
    void everyListedPageCanBeRead() {
        byte[] list = inquiry(1, 0x00, 255);
        for (int i = 4; i < list.length; i++) {
            byte[] page = inquiry(1, list[i] & 0xff, 1024);
            assertEquals(list[i], page[1]);
            assertEquals(page.length - 4, ((page[2] & 0xff) << 8) | (page[3] & 0xff), "page length");
        }
    }

    @Test
    void serialNumberIsSpacePadded() {
        byte[] b = inquiry(1, 0x80, 255);
        assertEquals(20, b.length);
        assertEquals("MYSERIAL0000    ", ascii(b, 4, 16));
    }

    @Test
    void deviceIdentificationDesignators() {
        byte[] b = inquiry(1, 0x83, 255);
        int p = 4;
        // T10 vendor ID
        assertArrayEquals(cdb(0x02, 0x01, 0, 19), Arrays.copyOfRange(b, p, p + 4));
        assertEquals("FREEBSD MYDEVID0000", ascii(b, p + 4, 19));
        p += 4 + 19;
        // relative target port 1
        assertArrayEquals(cdb(0x51, 0x94, 0, 4, 0, 0, 0, 1), Arrays.copyOfRange(b, p, p + 8));
        p += 8;
        // target port group 1
        assertArrayEquals(cdb(0x51, 0x95, 0, 4, 0, 0, 0, 1), Arrays.copyOfRange(b, p, p + 8));
        p += 8;
        String portName = "iqn.2026-11.io.jctl:target0,t,0x0001";
        int padded = (portName.length() + 1 + 3) & ~3;
        assertArrayEquals(cdb(0x53, 0x98, 0, padded), Arrays.copyOfRange(b, p, p + 4));
        assertEquals(portName, ascii(b, p + 4, portName.length()));
        assertEquals(0, b[p + 4 + portName.length()], "NUL terminated");
        p += 4 + padded;
        String target = "iqn.2026-11.io.jctl:target0";
        int tpad = (target.length() + 1 + 3) & ~3;
        assertArrayEquals(cdb(0x53, 0xa8, 0, tpad), Arrays.copyOfRange(b, p, p + 4));
        assertEquals(target, ascii(b, p + 4, target.length()));
        p += 4 + tpad;
        assertEquals(b.length, p);
    }

    @Test
    void optionalLunDesignatorsFromOptions() {
        Fixtures f = new Fixtures(LunType.DIRECT, 100, 512, Map.of("naa", "0x6001405abcdef012",
                "eui", "0011223344556677", "uuid", "12345678-9abc-def0-1234-56789abcdef0",
                "scsiname", "iqn.2026-11.io.jctl:target0,lun,0"));
        byte[] b = f.command(cdb(0x12, 1, 0x83, 1, 0, 0)).run(inquiry).dataIn();
        int p = 4 + 4 + 19;
        assertArrayEquals(cdb(0x01, 0x03, 0, 8, 0x60, 0x01, 0x40, 0x5a, 0xbc, 0xde, 0xf0, 0x12),
                Arrays.copyOfRange(b, p, p + 12));
        p += 12;
        assertArrayEquals(cdb(0x01, 0x02, 0, 8, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77),
                Arrays.copyOfRange(b, p, p + 12));
        p += 12;
        assertArrayEquals(cdb(0x01, 0x0a, 0, 18, 0x10, 0, 0x12, 0x34), Arrays.copyOfRange(b, p, p + 8));
        p += 22;
        assertArrayEquals(cdb(0x03, 0x08, 0, 36), Arrays.copyOfRange(b, p, p + 4));
    }

    @Test
    void badHexOptionIsLeftOut() {
        Fixtures f = new Fixtures(LunType.DIRECT, 100, 512, Map.of("naa", "0x123"));
        byte[] withBad = f.command(cdb(0x12, 1, 0x83, 1, 0, 0)).run(inquiry).dataIn();
        assertArrayEquals(inquiry(1, 0x83, 256), withBad);
    }

    @Test
    void extendedInquiry() {
        byte[] b = inquiry(1, 0x86, 255);
        assertEquals(64, b.length);
        assertEquals(0x3c, b[3]);
        assertEquals(0x07, b[5], "HEADSUP ORDSUP SIMPSUP");
        assertEquals(0x01, b[6], "V_SUP");
        assertEquals(0x01, b[7], "LUICLR");
    }

    @Test
    void scsiPorts() {
        byte[] b = inquiry(1, 0x88, 255);
        assertEquals(0x88, b[1] & 0xff);
        assertEquals(1, ((b[6] & 0xff) << 8) | (b[7] & 0xff), "relative port id");
        assertEquals(44, ((b[14] & 0xff) << 8) | (b[15] & 0xff), "target port descriptors length");
        assertEquals(4 + 12 + 44, b.length);
    }

    @Test
    void blockLimits() {
        byte[] b = inquiry(1, 0xb0, 255);
        assertEquals(64, b.length);
        assertEquals(0x3c, b[3]);
        assertEquals(1, ((b[6] & 0xff) << 8) | (b[7] & 0xff), "optimal granularity");
        assertArrayEquals(cdb(0, 1, 0, 0), Arrays.copyOfRange(b, 8, 12), "32 MiB / 512");
        assertArrayEquals(new byte[8], Arrays.copyOfRange(b, 20, 28), "no UNMAP limits");
    }

    @Test
    void blockDeviceCharacteristicsFollowOptions() {
        byte[] b = inquiry(1, 0xb1, 255);
        assertArrayEquals(cdb(0, 1), Arrays.copyOfRange(b, 4, 6), "non-rotating");
        Fixtures f = new Fixtures(LunType.DIRECT, 100, 512, Map.of("rpm", "7200", "formfactor", "2"));
        byte[] c = f.command(cdb(0x12, 1, 0xb1, 0, 255, 0)).run(inquiry).dataIn();
        assertArrayEquals(cdb(0x1c, 0x20), Arrays.copyOfRange(c, 4, 6));
        assertEquals(2, c[7]);
        assertEquals(0x07, c[8]);
    }

    @Test
    void provisioningAdvertisesNothing() {
        assertArrayEquals(cdb(0, 0xb2, 0, 4, 11, 0, 0, 0), inquiry(1, 0xb2, 255));
    }

    @Test
    void blockPagesAreNotOfferedByProcessors() {
        Fixtures proc = new Fixtures(LunType.PROCESSOR, 1, 512, Map.of());
        proc.command(cdb(0x12, 1, 0xb0, 0, 255, 0)).run(inquiry).assertInvalidCdbField(2, -1);
    }

    @Test
    void cdromClaimsMmcAndIsRemovable() {
        Fixtures cd = new Fixtures(LunType.CDROM, 100, 2048, Map.of());
        byte[] b = cd.command(cdb(0x12, 0, 0, 0, 96, 0)).run(inquiry).dataIn();
        assertEquals(0x05, b[0]);
        assertEquals((byte) 0x80, b[1]);
        assertArrayEquals(cdb(0x04, 0xe0), Arrays.copyOfRange(b, 64, 66), "MMC-6 after SAM, SPC, iSCSI");
    }

    @Test
    void portOfAnotherTransportHasNoProtocolIdentifier() {
        io.jctl.core.port.Port other = new io.jctl.core.port.PortRegistry().create("camsim", "naa.5000000000000001", 1,
                Map.of());
        byte[] b = new FakeCommand(cdb(0x12, 1, 0x83, 1, 0, 0), fx.lun, other, fx.target, null).run(inquiry).dataIn();
        int p = 4 + 4 + 19;
        assertArrayEquals(cdb(0x01, 0x14, 0, 4, 0, 0, 0, 1), Arrays.copyOfRange(b, p, p + 8), "PIV clear");
        byte[] std = new FakeCommand(cdb(0x12, 0, 0, 0, 96, 0), fx.lun, other, fx.target, null).run(inquiry).dataIn();
        assertArrayEquals(cdb(0x04, 0xc0), Arrays.copyOfRange(std, 62, 64), "no transport descriptor");
    }

    @Test
    void missingLunListsOnlyPageZero() {
        byte[] b = new FakeCommand(cdb(0x12, 1, 0, 0, 255, 0), null, fx.port, fx.target, null).run(inquiry).dataIn();
        assertArrayEquals(cdb(0x7f, 0, 0, 1, 0), b);
        new FakeCommand(cdb(0x12, 1, 0x83, 0, 255, 0), null, fx.port, fx.target, null).run(inquiry)
                .assertInvalidCdbField(2, -1);
    }
}

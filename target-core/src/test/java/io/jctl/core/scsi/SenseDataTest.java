package io.jctl.core.scsi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SenseDataTest {

    @Test
    void fixedFormatCarriesKeyCodesInformationAndFieldPointer() {
        byte[] b = SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00).withInformation(0x01020304L)
                .withFieldPointer(true, 2, 5).encode(false, 0);
        assertEquals(18, b.length);
        assertEquals((byte) 0xf0, b[0], "current error, VALID set");
        assertEquals(SenseKey.ILLEGAL_REQUEST, b[2]);
        assertArrayEquals(new byte[]{1, 2, 3, 4}, java.util.Arrays.copyOfRange(b, 3, 7));
        assertEquals(10, b[7]);
        assertEquals(0x24, b[12]);
        assertArrayEquals(new byte[]{(byte) 0xcd, 0, 2}, java.util.Arrays.copyOfRange(b, 15, 18),
                "SKSV, C/D=CDB, BPV, bit 5, byte 2");
    }

    @Test
    void fixedFormatLeavesValidClearWhenInformationNeedsMoreThanFourBytes() {
        byte[] b = SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x21, 0x00).withInformation(0x1_0000_0000L)
                .encode(false, 0);
        assertEquals(0x70, b[0]);
    }

    @Test
    void descriptorFormatCarriesEightByteInformationAndSenseKeySpecific() {
        byte[] b = SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x21, 0x00).withInformation(0x1_0000_0000L)
                .withFieldPointer(false, 7, -1).encode(true, 0);
        assertEquals(0x72, b[0]);
        assertEquals(SenseKey.ILLEGAL_REQUEST, b[1]);
        assertEquals(0x21, b[2]);
        assertEquals(20, b[7], "information (12) + sense key specific (8) descriptors");
        assertEquals(0x00, b[8]);
        assertEquals((byte) 0x80, b[10]);
        assertEquals(1, b[15], "bit 32 of the LBA");
        assertEquals(0x02, b[20]);
        assertArrayEquals(new byte[]{(byte) 0x80, 0, 7}, java.util.Arrays.copyOfRange(b, 24, 27));
    }

    @Test
    void encodingHonoursTheMaximumSenseLength() {
        assertEquals(8, SenseData.of(SenseKey.UNIT_ATTENTION, 0x29, 0x00).encode(false, 8).length);
    }

    @Test
    void commandSpecificInformationInBothFormats() {
        SenseData s = SenseData.of(SenseKey.COPY_ABORTED, 0x0d, 0x01).withCommandSpecificInformation(3)
                .withFieldPointer(false, 16, -1);
        byte[] fixed = s.encode(false, 0);
        assertArrayEquals(new byte[] {0, 0, 0, 3}, java.util.Arrays.copyOfRange(fixed, 8, 12));
        assertEquals((byte) 0x80, fixed[15]);
        byte[] desc = s.encode(true, 0);
        assertEquals(20, desc[7], "command-specific (12) + sense key specific (8) descriptors");
        assertEquals(0x01, desc[8]);
        assertEquals(0x0a, desc[9]);
        assertEquals(3, desc[19]);
        assertEquals(0x02, desc[20]);
    }

    @Test
    void forwardedSenseDescriptorCarriesTheCopyTargetsAnswer() {
        SenseData conflict = SenseData.of(SenseKey.COPY_ABORTED, 0x0d, 0x01).withCommandSpecificInformation(2)
                .withForwardedSense(SenseData.FORWARDED_FROM_COPY_DESTINATION, ScsiStatus.RESERVATION_CONFLICT, null);
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, conflict.forwardedStatus());
        byte[] desc = conflict.encode(true, 0);
        assertEquals(16, desc[7], "command-specific (12) + forwarded sense (4) descriptors");
        assertArrayEquals(new byte[] {0x0c, 2, 2, 0x18}, java.util.Arrays.copyOfRange(desc, 20, 24));
        assertEquals(18, conflict.encode(false, 0).length, "fixed format has no room for it");

        SenseData notReady = SenseData.of(SenseKey.COPY_ABORTED, 0x0d, 0x01).withForwardedSense(
                SenseData.FORWARDED_FROM_COPY_SOURCE, ScsiStatus.CHECK_CONDITION, SenseData.of(SenseKey.NOT_READY, 4, 2));
        byte[] d = notReady.encode(true, 0);
        assertEquals(12, d[7]);
        assertArrayEquals(new byte[] {0x0c, 10, 1, 0x02, 0x72, SenseKey.NOT_READY, 4, 2},
                java.util.Arrays.copyOfRange(d, 8, 16), "the copy source's descriptor sense follows");
    }
}

package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.testing.FakeCommand;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jctl.core.tpc.CopyLists.lid1;
import static io.jctl.core.tpc.CopyLists.lid4;
import static io.jctl.core.tpc.CopyLists.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal of an EXTENDED COPY parameter list, with its exact sense and field pointer. */
class ParameterListParserTest {

    private static byte[] cscd() {
        byte[] d = new byte[32];
        d[0] = (byte) 0xe4;
        d[4] = 0x02;
        d[5] = 0x01;
        d[7] = 4;
        d[8] = 'A';
        d[9] = 'B';
        d[10] = 'C';
        d[11] = 'D';
        d[30] = 0x02; // 512-byte blocks
        return d;
    }

    private static byte[][] times(byte[] d, int n) {
        byte[][] out = new byte[n][];
        Arrays.fill(out, d);
        return out;
    }

    private static ScsiException refused(int serviceAction, byte[] data) {
        return assertThrows(ScsiException.class, () -> ParameterListParser.parse(serviceAction, data));
    }

    private static void assertRefusal(ScsiException e, int asc, int ascq, int field) {
        assertEquals(SenseKey.ILLEGAL_REQUEST, e.sense().key());
        assertEquals(asc, e.sense().asc(), "ASC");
        assertEquals(ascq, e.sense().ascq(), "ASCQ");
        if (field < 0) {
            assertNull(e.sense().senseKeySpecific());
        } else {
            FakeCommand.assertPointer(e, false, field, -1);
        }
    }

    @Test
    void parsesALid1List() {
        byte[] data = lid1(7, 0, new byte[][] {cscd()}, new byte[][] {segment(0, 0xffff, 16, 5, 1 << 20)});
        CopyDescriptors list = ParameterListParser.parse(0x00, data);
        assertEquals(7, list.listId());
        assertTrue(list.tracked());
        assertEquals(1, list.cscds().size());
        CopyDescriptors.Cscd c = list.cscds().get(0);
        assertEquals(16, c.offset());
        assertEquals(0x02, c.codeSet());
        assertEquals(0x01, c.designatorType());
        assertArrayEquals("ABCD".getBytes(), c.designator());
        assertEquals(512, c.blockLength());
        CopyDescriptors.Segment s = (CopyDescriptors.Segment) list.segments().get(0);
        assertEquals(48, s.offset());
        assertEquals(0, s.source());
        assertEquals(0xffff, s.destination());
        assertEquals(16, s.blocks());
        assertEquals(5, s.sourceLba());
        assertEquals(1 << 20, s.destinationLba());
        assertFalse(s.destinationCount());
    }

    @Test
    void parsesALid4ListAndItsListIdentifier() {
        byte[] data = lid4(0x12345678L, 2, new byte[][] {cscd()}, new byte[][] {segment(0, 0, 1, 0, 1)});
        CopyDescriptors list = ParameterListParser.parse(0x01, data);
        assertEquals(0x12345678L, list.listId());
        assertEquals(0x01, list.serviceAction());
        assertEquals(48 + 32, list.segments().get(0).offset());
    }

    @Test
    void listIdUsageElevenIsUntrackedAndNeedsListIdZero() {
        assertFalse(ParameterListParser.parse(0, lid1(0, 3, new byte[0][], new byte[0][])).tracked());
        assertRefusal(refused(0, lid1(5, 3, new byte[0][], new byte[0][])), 0x26, 0x00, 0);
    }

    @Test
    void headerThatDoesNotFitIsAParameterListLengthError() {
        assertRefusal(refused(0, new byte[15]), 0x1a, 0x00, -1);
        assertRefusal(refused(1, new byte[47]), 0x1a, 0x00, -1);
    }

    @Test
    void truncatedDescriptorsAreAParameterListLengthError() {
        byte[] data = lid1(1, 0, new byte[][] {cscd()}, new byte[][] {segment(0, 0, 1, 0, 1)});
        assertRefusal(refused(0, Arrays.copyOf(data, 16 + 31)), 0x1a, 0x00, -1);
        assertRefusal(refused(0, Arrays.copyOf(data, data.length - 1)), 0x1a, 0x00, -1);
    }

    @Test
    void descriptorsBeyondTheMaximumListLengthAreAParameterListLengthError() {
        byte[] data = lid1(1, 0, times(cscd(), 65), times(segment(0, 0, 1, 0, 1), 220));
        assertTrue(data.length - 16 > CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH);
        assertRefusal(refused(0, data), 0x1a, 0x00, -1);
    }

    @Test
    void tooManyCscdDescriptors() {
        byte[] data = lid1(1, 0, times(cscd(), 65), new byte[][] {segment(0, 0, 1, 0, 1)});
        assertRefusal(refused(0, data), 0x26, 0x06, 2);
        byte[] lid4 = lid4(1, 0, times(cscd(), 65), new byte[0][]);
        assertRefusal(refused(1, lid4), 0x26, 0x06, 42);
    }

    @Test
    void tooManySegmentDescriptors() {
        byte[] data = lid1(1, 0, new byte[][] {cscd()}, times(segment(0, 0, 1, 0, 1), 65));
        assertRefusal(refused(0, data), 0x26, 0x08, 8);
        assertEquals(64, ParameterListParser.parse(0, lid1(1, 0, new byte[][] {cscd()},
                times(segment(0, 0, 1, 0, 1), 64))).segments().size());
    }

    @Test
    void unsupportedCscdTypeIsRefusedAtItsOffset() {
        byte[] fc = cscd();
        fc[0] = (byte) 0xe0;
        assertRefusal(refused(0, lid1(1, 0, new byte[][] {cscd(), fc}, new byte[0][])), 0x26, 0x07, 48);
    }

    @Test
    void unsupportedSegmentTypeIsRefusedAtItsOffset() {
        byte[] stream = segment(0, 0, 1, 0, 1);
        stream[0] = 0x03;
        assertRefusal(refused(0, lid1(1, 0, new byte[][] {cscd()},
                new byte[][] {segment(0, 0, 1, 0, 1), stream})), 0x26, 0x09, 16 + 32 + 28);
    }

    @Test
    void wrongSegmentDescriptorLengthPointsAtIt() {
        byte[] s = segment(0, 0, 1, 0, 1);
        CdbFields.put16(s, 2, 0x14);
        assertRefusal(refused(0, lid1(1, 0, new byte[][] {cscd()}, new byte[][] {s})), 0x26, 0x00, 48 + 2);
    }

    @Test
    void cscdListThatCutsADescriptorPointsAtTheListLength() {
        byte[] data = lid1(1, 0, new byte[][] {Arrays.copyOf(cscd(), 20)}, new byte[0][]);
        assertRefusal(refused(0, data), 0x26, 0x00, 2);
    }

    @Test
    void designatorLongerThanTheDescriptorHoldsPointsAtItsLength() {
        byte[] d = cscd();
        d[7] = 21;
        assertRefusal(refused(0, lid1(1, 0, new byte[][] {d}, new byte[0][])), 0x26, 0x00, 16 + 7);
    }

    @Test
    void inlineDataIsNotAccepted() {
        byte[] data = lid1(1, 0, new byte[0][], new byte[0][]);
        data = Arrays.copyOf(data, data.length + 4);
        CdbFields.put32(data, 12, 4);
        assertRefusal(refused(0, data), 0x26, 0x00, 12);
    }

    @Test
    void lid4ListFormatMustBeOne() {
        byte[] data = lid4(1, 0, new byte[0][], new byte[0][]);
        data[0] = 0;
        assertRefusal(refused(1, data), 0x26, 0x00, 0);
    }

    @Test
    void verifyCscdSegment() {
        byte[] v = new byte[12];
        v[0] = 0x07;
        v[3] = 0x08;
        v[5] = 0x00;
        v[8] = 0x01;
        CopyDescriptors list = ParameterListParser.parse(0, lid1(1, 0, new byte[][] {cscd()}, new byte[][] {v}));
        assertEquals(new CopyDescriptors.VerifyCscd(48, 0, true), list.segments().get(0));
        v[3] = 0x0c;
        assertRefusal(refused(0, lid1(1, 0, new byte[][] {cscd()}, new byte[][] {v})), 0x26, 0x00, 48 + 2);
    }

    @Test
    void obsoleteLuIdTypeAndNulBitsAreIgnored() {
        byte[] d = cscd();
        d[1] = (byte) 0xe0;
        assertEquals(0, ParameterListParser.parse(0, lid1(1, 0, new byte[][] {d}, new byte[0][]))
                .cscds().get(0).peripheralType());
    }
}

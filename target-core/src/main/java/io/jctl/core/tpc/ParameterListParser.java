package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.tpc.CopyDescriptors.Cscd;
import io.jctl.core.tpc.CopyDescriptors.Segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses EXTENDED COPY parameter lists (SPC-4 6.4): the LID1 header (16 bytes) or the LID4 header (48 bytes), then
 * the CSCD descriptors and the segment descriptors. Every refusal is ILLEGAL REQUEST with the sense SPC-4 names and
 * a field pointer into the parameter list; nothing is copied when parsing fails.
 */
public final class ParameterListParser {
    public static final int LID1_HEADER = 16;
    public static final int LID4_HEADER = 48;
    static final int CSCD_LENGTH = 32;
    static final int BLOCK_SEGMENT_LENGTH = 28;
    static final int VERIFY_SEGMENT_LENGTH = 12;
    /** LIST ID USAGE 11b: the list identifier is not used and the list is not tracked. */
    private static final int USAGE_NONE = 3;
    private static final int LID4_LIST_FORMAT = 0x01;

    private ParameterListParser() {
    }

    /** The header length of a service action's parameter list. */
    public static int headerLength(int serviceAction) {
        return serviceAction == 0x01 ? LID4_HEADER : LID1_HEADER;
    }

    /**
     * Parses {@code data}, the parameter list as received.
     *
     * @param serviceAction 00h LID1 or 01h LID4
     * @throws ScsiException with the exact refusal
     */
    public static CopyDescriptors parse(int serviceAction, byte[] data) {
        boolean lid4 = serviceAction == 0x01;
        int header = headerLength(serviceAction);
        if (data.length < header) {
            throw ScsiException.parameterListLengthError();
        }
        long listId;
        int cscdLengthAt;
        int segmentLengthAt;
        int inlineLengthAt;
        int cscdLength;
        long segmentLength;
        long inlineLength;
        if (lid4) {
            if (CdbFields.u8(data, 0) != LID4_LIST_FORMAT) {
                throw ScsiException.invalidFieldInParameterList(0, -1);
            }
            listId = CdbFields.u32(data, 20);
            cscdLengthAt = 42;
            segmentLengthAt = 44;
            inlineLengthAt = 46;
            cscdLength = CdbFields.u16(data, cscdLengthAt);
            segmentLength = CdbFields.u16(data, segmentLengthAt);
            inlineLength = CdbFields.u16(data, inlineLengthAt);
        } else {
            listId = CdbFields.u8(data, 0);
            cscdLengthAt = 2;
            segmentLengthAt = 8;
            inlineLengthAt = 12;
            cscdLength = CdbFields.u16(data, cscdLengthAt);
            segmentLength = CdbFields.u32(data, segmentLengthAt);
            inlineLength = CdbFields.u32(data, inlineLengthAt);
        }
        int usage = (data[1] >> 3) & 0x03;
        if (usage == USAGE_NONE && listId != 0) {
            throw ScsiException.invalidFieldInParameterList(lid4 ? 20 : 0, -1);
        }
        if (cscdLength + segmentLength > CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH
                || data.length < header + cscdLength + segmentLength) {
            throw ScsiException.parameterListLengthError();
        }
        if (inlineLength > CopyLimits.MAX_INLINE_DATA_LENGTH) {
            throw ScsiException.invalidFieldInParameterList(inlineLengthAt, -1);
        }
        if (cscdLength > CopyLimits.MAX_CSCD_DESCRIPTORS * CSCD_LENGTH) {
            throw refusal(0x06, cscdLengthAt); // TOO MANY TARGET DESCRIPTORS
        }
        List<Cscd> cscds = parseCscds(data, header, cscdLength, cscdLengthAt);
        List<CopyDescriptors.Step> segments = parseSegments(data, header + cscdLength, (int) segmentLength, segmentLengthAt);
        return new CopyDescriptors(serviceAction, listId, usage != USAGE_NONE, cscds, segments);
    }

    private static List<Cscd> parseCscds(byte[] data, int start, int length, int lengthAt) {
        List<Cscd> out = new ArrayList<>();
        for (int off = start; off < start + length; off += CSCD_LENGTH) {
            int type = CdbFields.u8(data, off);
            if (type != CopyLimits.CSCD_IDENTIFICATION) {
                throw refusal(0x07, off); // UNSUPPORTED TARGET DESCRIPTOR TYPE CODE
            }
            if (off + CSCD_LENGTH > start + length) {
                throw ScsiException.invalidFieldInParameterList(lengthAt, -1);
            }
            // LU ID TYPE and NUL (byte 1 bits 7-5) are obsolete in SPC-4, which this target claims: ignored.
            int designatorLength = CdbFields.u8(data, off + 7);
            if (designatorLength > 20) {
                throw ScsiException.invalidFieldInParameterList(off + 7, -1);
            }
            out.add(new Cscd(off, data[off + 1] & 0x1f, data[off + 4] & 0x0f,
                    data[off + 5] & 0x3f, Arrays.copyOfRange(data, off + 8, off + 8 + designatorLength),
                    CdbFields.u24(data, off + 29)));
        }
        return out;
    }

    private static List<CopyDescriptors.Step> parseSegments(byte[] data, int start, int length, int lengthAt) {
        List<CopyDescriptors.Step> out = new ArrayList<>();
        int off = start;
        while (off < start + length) {
            if (out.size() == CopyLimits.MAX_SEGMENT_DESCRIPTORS) {
                throw refusal(0x08, lengthAt); // TOO MANY SEGMENT DESCRIPTORS
            }
            int type = CdbFields.u8(data, off);
            int size = switch (type) {
                case CopyLimits.SEGMENT_BLOCK_TO_BLOCK -> BLOCK_SEGMENT_LENGTH;
                case CopyLimits.SEGMENT_VERIFY_CSCD -> VERIFY_SEGMENT_LENGTH;
                default -> throw refusal(0x09, off); // UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE
            };
            if (off + 4 > start + length || CdbFields.u16(data, off + 2) != size - 4) {
                throw ScsiException.invalidFieldInParameterList(off + 2, -1);
            }
            if (off + size > start + length) {
                throw ScsiException.invalidFieldInParameterList(lengthAt, -1);
            }
            if (type == CopyLimits.SEGMENT_VERIFY_CSCD) {
                out.add(new CopyDescriptors.VerifyCscd(off, CdbFields.u16(data, off + 4), (data[off + 8] & 0x01) != 0));
            } else {
                out.add(new Segment(off, (data[off + 1] & 0x02) != 0, CdbFields.u16(data, off + 4),
                        CdbFields.u16(data, off + 6), CdbFields.u16(data, off + 10), CdbFields.u64(data, off + 12),
                        CdbFields.u64(data, off + 20)));
            }
            off += size;
        }
        return out;
    }

    /** ILLEGAL REQUEST with ASC 26h and {@code ascq}, pointing at a parameter list byte. */
    private static ScsiException refusal(int ascq, int field) {
        return ScsiException.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x26, ascq)
                .withFieldPointer(false, field, -1));
    }
}

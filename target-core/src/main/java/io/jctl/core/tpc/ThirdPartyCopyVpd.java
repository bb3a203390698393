package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;

import java.io.ByteArrayOutputStream;

/**
 * The body of the third-party copy VPD page (8Fh): the descriptors of what this copy manager offers (ctl-facts
 * §5.4) — supported commands, parameter data, supported descriptors, supported CSCD descriptor IDs and general copy
 * operations. ROD token descriptors appear only with token support, which this copy manager does not offer.
 */
public final class ThirdPartyCopyVpd {
    public static final int PAGE_CODE = 0x8f;

    private static final int SUPPORTED_COMMANDS = 0x0001;
    private static final int PARAMETER_DATA = 0x0008;
    private static final int SUPPORTED_DESCRIPTORS = 0x0081;
    private static final int SUPPORTED_CSCD_IDS = 0x0082;
    private static final int GENERAL_COPY_OPERATIONS = 0x8001;

    private ThirdPartyCopyVpd() {
    }

    /** The page body (everything after the 4-byte page header). */
    public static byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        descriptor(out, SUPPORTED_COMMANDS, supportedCommands());
        byte[] pd = new byte[28];
        CdbFields.put16(pd, 4, CopyLimits.MAX_CSCD_DESCRIPTORS);
        CdbFields.put16(pd, 6, CopyLimits.MAX_SEGMENT_DESCRIPTORS);
        CdbFields.put32(pd, 8, CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH);
        CdbFields.put32(pd, 12, CopyLimits.MAX_INLINE_DATA_LENGTH);
        descriptor(out, PARAMETER_DATA, pd);
        descriptor(out, SUPPORTED_DESCRIPTORS, padded(new byte[] {2, CopyLimits.SEGMENT_BLOCK_TO_BLOCK,
                (byte) CopyLimits.CSCD_IDENTIFICATION}));
        descriptor(out, SUPPORTED_CSCD_IDS, padded(new byte[] {0, 2, (byte) 0xff, (byte) 0xff}));
        byte[] gco = new byte[32];
        CdbFields.put32(gco, 0, CopyLimits.MAX_CONCURRENT_COPIES);
        CdbFields.put32(gco, 4, CopyLimits.MAX_CONCURRENT_COPIES);
        CdbFields.put32(gco, 8, CopyLimits.MAX_SEGMENT_LENGTH);
        descriptor(out, GENERAL_COPY_OPERATIONS, gco);
        return out.toByteArray();
    }

    /** Each command's opcode, service action count and service actions, after a one-byte list length. */
    private static byte[] supportedCommands() {
        byte[] list = {
            (byte) 0x83, 3, TpcCommands.EXTENDED_COPY_LID1, TpcCommands.EXTENDED_COPY_LID4,
            TpcCommands.COPY_OPERATION_ABORT,
            (byte) 0x84, 4, ReceiveCopyResults.COPY_STATUS_LID1, ReceiveCopyResults.OPERATING_PARAMETERS,
            ReceiveCopyResults.FAILURE_DETAILS, ReceiveCopyResults.COPY_STATUS_LID4,
        };
        byte[] b = new byte[1 + list.length];
        b[0] = (byte) list.length;
        System.arraycopy(list, 0, b, 1, list.length);
        return padded(b);
    }

    /** Descriptor lengths are multiples of 4. */
    private static byte[] padded(byte[] b) {
        return java.util.Arrays.copyOf(b, (b.length + 3) & ~3);
    }

    private static void descriptor(ByteArrayOutputStream out, int type, byte[] body) {
        byte[] h = new byte[4];
        CdbFields.put16(h, 0, type);
        CdbFields.put16(h, 2, body.length);
        out.writeBytes(h);
        out.writeBytes(body);
    }
}

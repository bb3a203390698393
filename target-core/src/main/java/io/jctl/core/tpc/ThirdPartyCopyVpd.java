package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;

import java.io.ByteArrayOutputStream;

/**
 * The body of the third-party copy VPD page (8Fh): the descriptors of what this copy manager offers (ctl-facts
 * §5.4) — supported commands, parameter data, supported descriptors, supported CSCD descriptor IDs and general copy
 * operations; block devices add the ROD token descriptors (block device ROD token limits, ROD token features,
 * supported ROD types).
 */
public final class ThirdPartyCopyVpd {
    public static final int PAGE_CODE = 0x8f;

    private static final int BLOCK_ROD_TOKEN_LIMITS = 0x0000;
    private static final int SUPPORTED_COMMANDS = 0x0001;
    private static final int ROD_TOKEN_FEATURES = 0x0106;
    private static final int SUPPORTED_ROD_TYPES = 0x0108;
    private static final int PARAMETER_DATA = 0x0008;
    private static final int SUPPORTED_DESCRIPTORS = 0x0081;
    private static final int SUPPORTED_CSCD_IDS = 0x0082;
    private static final int GENERAL_COPY_OPERATIONS = 0x8001;

    private ThirdPartyCopyVpd() {
    }

    /** The page body (everything after the 4-byte page header); {@code blockDevice}: with ROD tokens. */
    public static byte[] body(boolean blockDevice) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (blockDevice) {
            byte[] limits = new byte[32];
            CdbFields.put16(limits, 6, CopyLimits.MAX_SEGMENT_DESCRIPTORS); // maximum range descriptors
            CdbFields.put32(limits, 8, RodTokens.MAX_INACTIVITY_SECONDS);
            CdbFields.put32(limits, 12, RodTokens.DEFAULT_INACTIVITY_SECONDS);
            // maximum token transfer size and optimal transfer count 0: not limited, no preference
            descriptor(out, BLOCK_ROD_TOKEN_LIMITS, limits);
        }
        descriptor(out, SUPPORTED_COMMANDS, supportedCommands(blockDevice));
        byte[] pd = new byte[28];
        CdbFields.put16(pd, 4, CopyLimits.MAX_CSCD_DESCRIPTORS);
        CdbFields.put16(pd, 6, CopyLimits.MAX_SEGMENT_DESCRIPTORS);
        CdbFields.put32(pd, 8, CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH);
        CdbFields.put32(pd, 12, CopyLimits.MAX_INLINE_DATA_LENGTH);
        descriptor(out, PARAMETER_DATA, pd);
        descriptor(out, SUPPORTED_DESCRIPTORS, padded(new byte[] {3, CopyLimits.SEGMENT_BLOCK_TO_BLOCK,
            CopyLimits.SEGMENT_VERIFY_CSCD, (byte) CopyLimits.CSCD_IDENTIFICATION}));
        descriptor(out, SUPPORTED_CSCD_IDS, padded(new byte[] {0, 2, (byte) 0xff, (byte) 0xff}));
        byte[] gco = new byte[32];
        CdbFields.put32(gco, 0, CopyLimits.MAX_CONCURRENT_COPIES);
        CdbFields.put32(gco, 4, CopyLimits.MAX_CONCURRENT_COPIES);
        CdbFields.put32(gco, 8, CopyLimits.MAX_SEGMENT_LENGTH);
        descriptor(out, GENERAL_COPY_OPERATIONS, gco);
        if (blockDevice) {
            descriptor(out, ROD_TOKEN_FEATURES, rodTokenFeatures());
            byte[] types = new byte[4 + 2 * 64];
            CdbFields.put16(types, 2, 2 * 64);
            CdbFields.put32(types, 4, RodTokens.TYPE_ACCESS_UPON_REFERENCE);
            types[8] = 0x03; // TOKEN_IN, TOKEN_OUT
            CdbFields.put32(types, 4 + 64, RodTokens.TYPE_BLOCK_ZERO);
            types[8 + 64] = 0x02; // TOKEN_IN
            descriptor(out, SUPPORTED_ROD_TYPES, types);
        }
        return out.toByteArray();
    }

    /** Local tokens only; lifetimes; block device features: transfer sizes not limited. */
    private static byte[] rodTokenFeatures() {
        byte[] b = new byte[36 + 48];
        CdbFields.put32(b, 4, RodTokens.MIN_INACTIVITY_SECONDS);
        CdbFields.put32(b, 8, 0xffff_ffffL);
        CdbFields.put32(b, 12, RodTokens.MAX_INACTIVITY_SECONDS);
        CdbFields.put16(b, 34, 48);
        int f = 36; // block device ROD token features
        CdbFields.put16(b, f + 2, 44);
        CdbFields.put64(b, f + 24, -1L); // optimal bytes to token per segment: any
        CdbFields.put64(b, f + 32, (long) CopyLimits.CHUNK_BYTES * 16);
        return b;
    }

    /** Each command's opcode, service action count and service actions, after a one-byte list length. */
    private static byte[] supportedCommands(boolean blockDevice) {
        byte[] list = blockDevice ? new byte[] {
            (byte) 0x83, 5, TpcCommands.EXTENDED_COPY_LID1, TpcCommands.EXTENDED_COPY_LID4,
            TpcCommands.POPULATE_TOKEN, TpcCommands.WRITE_USING_TOKEN, TpcCommands.COPY_OPERATION_ABORT,
            (byte) 0x84, 5, ReceiveCopyResults.COPY_STATUS_LID1, ReceiveCopyResults.OPERATING_PARAMETERS,
            ReceiveCopyResults.FAILURE_DETAILS, ReceiveCopyResults.COPY_STATUS_LID4,
            ReceiveCopyResults.ROD_TOKEN_INFORMATION,
        } : new byte[] {
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

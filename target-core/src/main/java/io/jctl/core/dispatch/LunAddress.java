package io.jctl.core.dispatch;

/**
 * SAM 8-byte LUN fields: peripheral device addressing (00b) for LUNs below 256 and flat space addressing (01b)
 * for LUNs up to 16383, as CTL decodes and REPORT LUNS encodes them.
 */
public final class LunAddress {
    /** Returned by {@link #decode} for fields that name no LUN this target can have. */
    public static final int INVALID = -1;

    private LunAddress() {
    }

    /** The LUN number in a SAM LUN field (byte 0 in the top byte of {@code field}), or {@link #INVALID}. */
    public static int decode(long field) {
        if ((field & 0x0000_ffff_ffff_ffffL) != 0) {
            return INVALID; // second to fourth level must be empty
        }
        int b0 = (int) (field >>> 56) & 0xff;
        int b1 = (int) (field >>> 48) & 0xff;
        return switch (b0 >>> 6) {
            case 0 -> (b0 & 0x3f) == 0 ? b1 : INVALID; // peripheral: bus identifier must be 0
            case 1 -> ((b0 & 0x3f) << 8) | b1;          // flat space
            default -> INVALID;                         // logical unit / extended addressing: not ours
        };
    }

    /** The SAM LUN field for a LUN number: peripheral below 256, flat above. */
    public static long encode(int lun) {
        if (lun < 0 || lun > 0x3fff) {
            throw new IllegalArgumentException("LUN " + lun + " cannot be addressed");
        }
        if (lun < 256) {
            return (long) lun << 48;
        }
        return ((long) (0x40 | (lun >>> 8)) << 56) | ((long) (lun & 0xff) << 48);
    }
}

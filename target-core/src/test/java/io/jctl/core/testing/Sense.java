package io.jctl.core.testing;

/** Reads fields out of encoded sense data (fixed or descriptor). */
public final class Sense {
    private Sense() {
    }

    public static int key(byte[] s) {
        return descriptor(s) ? s[1] & 0x0f : s[2] & 0x0f;
    }

    public static int asc(byte[] s) {
        return descriptor(s) ? s[2] & 0xff : s[12] & 0xff;
    }

    public static int ascq(byte[] s) {
        return descriptor(s) ? s[3] & 0xff : s[13] & 0xff;
    }

    public static boolean descriptor(byte[] s) {
        return (s[0] & 0x7f) == 0x72 || (s[0] & 0x7f) == 0x73;
    }

    /** key/asc/ascq as "k/aa/qq" for readable assertions. */
    public static String code(byte[] s) {
        return s == null ? "none" : String.format("%x/%02x/%02x", key(s), asc(s), ascq(s));
    }

    /** Fixed-format sense-key-specific bytes 15..17 as an int, e.g. 0xcc0001. */
    public static int sks(byte[] s) {
        return (s[15] & 0xff) << 16 | (s[16] & 0xff) << 8 | (s[17] & 0xff);
    }
}

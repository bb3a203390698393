package io.jctl.core.cdb;

/** Builds CDB usage masks in the layout of CTL's command table: the bytes after the opcode byte. */
public final class UsageMasks {
    private UsageMasks() {
    }

    /** A usage mask whose byte 0 (the opcode) is FFh, followed by {@code rest}; its length is the CDB length. */
    public static byte[] of(int... rest) {
        byte[] m = new byte[rest.length + 1];
        m[0] = (byte) 0xff;
        for (int i = 0; i < rest.length; i++) {
            if (rest[i] < 0 || rest[i] > 0xff) {
                throw new IllegalArgumentException("mask byte " + (i + 1) + " out of range");
            }
            m[i + 1] = (byte) rest[i];
        }
        return m;
    }
}

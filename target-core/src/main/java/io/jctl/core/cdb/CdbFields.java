package io.jctl.core.cdb;

/** Big-endian field readers for CDBs and parameter lists (SCSI fields are big-endian). */
public final class CdbFields {
    private CdbFields() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return (u8(b, off) << 8) | u8(b, off + 1);
    }

    public static int u24(byte[] b, int off) {
        return (u8(b, off) << 16) | u16(b, off + 1);
    }

    /** An unsigned 32-bit field, widened so values above 2^31 stay positive. */
    public static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    /** A 64-bit field; LBAs above 2^63 come out negative and must be compared unsigned. */
    public static long u64(byte[] b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) (v >> 16));
        put16(b, off + 2, (int) v);
    }

    public static void put64(byte[] b, int off, long v) {
        put32(b, off, v >>> 32);
        put32(b, off + 4, v);
    }
}

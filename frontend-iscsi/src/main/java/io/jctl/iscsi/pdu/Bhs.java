package io.jctl.iscsi.pdu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The 48-byte Basic Header Segment. Field offsets follow RFC 7143 §11; typed accessors cover the fields every PDU
 * shares, the rest are read and written by offset through the helpers.
 */
public final class Bhs {
    public static final int LENGTH = 48;
    /** ITT / TTT value meaning "none" (RFC 7143 §11.18, §11.19). */
    public static final int RESERVED_TAG = 0xffffffff;

    /** Byte 0 bit 6: immediate delivery. */
    private static final int IMMEDIATE = 0x40;
    /** Byte 1 bit 7: final PDU of a sequence (F), or transit (T) in login PDUs. */
    public static final int FINAL = 0x80;

    /** Big-endian views of the array: one load or store per field instead of one per byte. */
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] b;

    private Bhs(byte[] bytes) {
        this.b = bytes;
    }

    /** Wraps received bytes; the array must be exactly 48 bytes and is not copied. */
    public static Bhs wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("BHS must be 48 bytes");
        }
        return new Bhs(bytes);
    }

    /** A zeroed header for a target-to-initiator PDU. */
    public static Bhs create(int opcode) {
        Bhs h = new Bhs(new byte[LENGTH]);
        h.b[0] = (byte) (opcode & 0x3f);
        return h;
    }

    /** Zeroes the header and sets the opcode, for a header that is filled in and sent again and again. */
    public Bhs reset(int opcode) {
        Arrays.fill(b, (byte) 0);
        b[0] = (byte) (opcode & 0x3f);
        return this;
    }

    public byte[] bytes() {
        return b;
    }

    public int opcode() {
        return b[0] & 0x3f;
    }

    public boolean immediate() {
        return (b[0] & IMMEDIATE) != 0;
    }

    public int flags() {
        return b[1] & 0xff;
    }

    public Bhs flags(int flags) {
        b[1] = (byte) flags;
        return this;
    }

    public boolean finalFlag() {
        return (b[1] & FINAL) != 0;
    }

    public int totalAhsLength() {
        return (b[4] & 0xff) * 4;
    }

    public int dataSegmentLength() {
        return u24(5);
    }

    public void dataSegmentLength(int length) {
        u24(5, length);
    }

    public void totalAhsLengthWords(int words) {
        b[4] = (byte) words;
    }

    public long lun() {
        return u64(8);
    }

    public Bhs lun(long lun) {
        u64(8, lun);
        return this;
    }

    public int itt() {
        return u32(16);
    }

    public Bhs itt(int itt) {
        u32(16, itt);
        return this;
    }

    public int u8(int off) {
        return b[off] & 0xff;
    }

    public Bhs u8(int off, int v) {
        b[off] = (byte) v;
        return this;
    }

    public int u16(int off) {
        return (short) U16.get(b, off) & 0xffff;
    }

    public Bhs u16(int off, int v) {
        U16.set(b, off, (short) v);
        return this;
    }

    public int u24(int off) {
        return ((b[off] & 0xff) << 16) | ((b[off + 1] & 0xff) << 8) | (b[off + 2] & 0xff);
    }

    public Bhs u24(int off, int v) {
        b[off] = (byte) (v >>> 16);
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) v;
        return this;
    }

    public int u32(int off) {
        return (int) U32.get(b, off);
    }

    public Bhs u32(int off, int v) {
        U32.set(b, off, v);
        return this;
    }

    public long u48(int off) {
        return ((long) u16(off) << 32) | (u32(off + 2) & 0xffffffffL);
    }

    public Bhs u48(int off, long v) {
        u16(off, (int) (v >>> 32));
        u32(off + 2, (int) v);
        return this;
    }

    public long u64(int off) {
        return (long) U64.get(b, off);
    }

    public Bhs u64(int off, long v) {
        U64.set(b, off, v);
        return this;
    }

    public byte[] range(int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }

    public Bhs copy() {
        return new Bhs(b.clone());
    }

    @Override
    public String toString() {
        return String.format("%s itt=0x%08x dsl=%d", Opcode.name(opcode()), itt(), dataSegmentLength());
    }
}

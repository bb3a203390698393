package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * One iSCSI PDU: header, additional header segments and the data segment (without padding or digests). The PDU owns
 * one reference to its data; releasing the PDU releases the data.
 */
public final class Pdu extends DefaultByteBufHolder {
    /** The AHS of a PDU that has none (shared: nobody writes into it). */
    public static final byte[] NO_AHS = new byte[0];

    private final Bhs bhs;
    private final byte[] ahs;
    private final boolean dataDigestError;

    public Pdu(Bhs bhs, byte[] ahs, ByteBuf data, boolean dataDigestError) {
        super(data);
        this.bhs = bhs;
        this.ahs = ahs == null ? NO_AHS : ahs;
        this.dataDigestError = dataDigestError;
    }

    /** A PDU to send; the data length field is filled in by the encoder. */
    public static Pdu of(Bhs bhs, ByteBuf data) {
        return new Pdu(bhs, null, data == null ? Unpooled.EMPTY_BUFFER : data, false);
    }

    public static Pdu of(Bhs bhs) {
        return of(bhs, null);
    }

    public Bhs bhs() {
        return bhs;
    }

    public int opcode() {
        return bhs.opcode();
    }

    public byte[] ahs() {
        return ahs;
    }

    public ByteBuf data() {
        return content();
    }

    /** The data digest did not match; the data has been discarded. */
    public boolean dataDigestError() {
        return dataDigestError;
    }

    @Override
    public String toString() {
        return bhs.toString();
    }
}

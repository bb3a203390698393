package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Frames iSCSI PDUs and nothing else: BHS, AHS, header digest, data segment, padding, data digest. Lengths are
 * checked against the negotiated limit before anything is buffered for the data segment. The data segment is a
 * retained slice of the received bytes, not a copy.
 */
public final class PduDecoder extends ByteToMessageDecoder {
    private static final int DIGEST = 4;

    private final DigestSettings settings;
    private boolean failed;

    public PduDecoder(DigestSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Bhs.LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int ahsLength = (in.getUnsignedByte(start + 4)) * 4;
        int dataLength = in.getUnsignedMedium(start + 5);
        boolean headerDigest = settings.headerDigest();
        boolean dataDigest = settings.dataDigest() && dataLength > 0;
        if (dataLength > settings.maxRecvDataSegmentLength()) {
            out.add(fail(in, start, FramingError.Kind.OVERSIZED_SEGMENT, String.format(
                    "data segment of %d bytes exceeds MaxRecvDataSegmentLength %d", dataLength,
                    settings.maxRecvDataSegmentLength())));
            return;
        }
        int padding = (4 - (dataLength & 3)) & 3;
        int total = Bhs.LENGTH + ahsLength + (headerDigest ? DIGEST : 0) + dataLength + padding
                + (dataDigest ? DIGEST : 0);
        if (in.readableBytes() < total) {
            return;
        }
        byte[] header = new byte[Bhs.LENGTH];
        in.readBytes(header);
        byte[] ahs = ahsLength == 0 ? Pdu.NO_AHS : new byte[ahsLength];
        in.readBytes(ahs);
        if (headerDigest) {
            int expected = in.readIntLE();
            byte[] covered = ahsLength == 0 ? header : concat(header, ahs);
            int actual = Crc32c.of(covered, 0, covered.length);
            if (expected != actual) {
                out.add(fail(in, start, FramingError.Kind.HEADER_DIGEST, String.format(
                        "header digest 0x%08x, computed 0x%08x", expected, actual)));
                return;
            }
        }
        Bhs bhs = Bhs.wrap(header);
        if (ahsLength > 0 && !validAhs(ahs)) {
            out.add(fail(in, start, FramingError.Kind.BAD_AHS, "AHS lengths do not add up to TotalAHSLength"));
            return;
        }
        ByteBuf data = dataLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice(dataLength);
        in.skipBytes(padding);
        boolean digestError = false;
        if (dataDigest) {
            int expected = in.readIntLE();
            int actual = Crc32c.of(data, padding);
            if (expected != actual) {
                digestError = true;
                data.release();
                data = Unpooled.EMPTY_BUFFER;
            }
        }
        out.add(new Pdu(bhs, ahs, data, digestError));
    }

    /** Gives up on the stream: everything buffered and everything still to come is discarded. */
    private FramingError fail(ByteBuf in, int start, FramingError.Kind kind, String detail) {
        failed = true;
        byte[] header = new byte[Bhs.LENGTH];
        in.getBytes(start, header);
        in.skipBytes(in.readableBytes());
        return new FramingError(kind, Bhs.wrap(header), detail);
    }

    /** Each AHS is a 2-byte length, a type byte, then that many bytes, padded to 4 (RFC 7143 §11.2.2). */
    private static boolean validAhs(byte[] ahs) {
        int off = 0;
        while (off < ahs.length) {
            if (off + 4 > ahs.length) {
                return false;
            }
            int len = ((ahs[off] & 0xff) << 8) | (ahs[off + 1] & 0xff);
            off = (off + 3 + len + 3) & ~3;
        }
        return off == ahs.length;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}

package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Writes a PDU as header (+ header digest), then the data segment itself (no copy), then padding and data digest.
 * Fills in DataSegmentLength and TotalAHSLength from what the PDU carries. The PDU's reference to its data passes
 * to the socket's outbound buffer; the pieces before the last are written with the void promise and the caller's
 * promise goes with the last, so a PDU costs no promise objects of its own. {@link #frame} does the same for a
 * header and data that are not wrapped in a {@link Pdu} (the connection's hot path).
 */
public final class PduEncoder extends ChannelOutboundHandlerAdapter {
    private final DigestSettings settings;

    public PduEncoder(DigestSettings settings) {
        this.settings = settings;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Pdu pdu)) {
            ctx.write(msg, promise);
            return;
        }
        frame(ctx, ctx.alloc(), settings, pdu.bhs(), pdu.ahs(), pdu.data(), promise);
    }

    /**
     * Writes one PDU to {@code out}. The header is copied into a buffer of its own before this returns, so the
     * caller may reuse {@code bhs} at once. The reference to {@code data} passes to {@code out} (or is released on
     * failure).
     */
    public static void frame(ChannelOutboundInvoker out, ByteBufAllocator alloc, DigestSettings settings, Bhs bhs,
                             byte[] ahs, ByteBuf data, ChannelPromise promise) {
        ByteBuf head = null;
        ByteBuf tail = null;
        try {
            int dataLength = data.readableBytes();
            int padding = (4 - (dataLength & 3)) & 3;
            bhs.dataSegmentLength(dataLength);
            bhs.totalAhsLengthWords(ahs.length / 4);
            boolean headerDigest = settings.headerDigest();
            boolean dataDigest = settings.dataDigest() && dataLength > 0;
            // The head buffer is allocated at its exact size and filled by index: no growth checks per field.
            int headerLength = Bhs.LENGTH + ahs.length;
            head = alloc.buffer(headerLength + (headerDigest ? 4 : 0));
            head.setBytes(0, bhs.bytes());
            if (ahs.length > 0) {
                head.setBytes(Bhs.LENGTH, ahs);
            }
            head.writerIndex(headerLength);
            if (headerDigest) {
                int crc = ahs.length == 0 ? Crc32c.of(bhs.bytes(), 0, Bhs.LENGTH) : Crc32c.of(head, 0);
                head.setIntLE(headerLength, crc);
                head.writerIndex(headerLength + 4);
            }
            if (dataLength > 0 && (padding > 0 || dataDigest)) {
                tail = alloc.buffer(padding + 4);
                tail.writeZero(padding);
                if (dataDigest) {
                    tail.writeIntLE(Crc32c.of(data, padding));
                }
            }
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(head);
            ReferenceCountUtil.release(tail);
            data.release();
            promise.setFailure(e);
            return;
        }
        if (!data.isReadable()) {
            data.release();
            out.write(head, promise);
            return;
        }
        out.write(head, out.voidPromise());
        if (tail == null) {
            out.write(data, promise);
        } else {
            out.write(data, out.voidPromise());
            out.write(tail, promise);
        }
    }
}

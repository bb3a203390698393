package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Writes a PDU as header (+ header digest), then the data segment itself (no copy), then padding and data digest.
 * Fills in DataSegmentLength and TotalAHSLength from what the PDU carries. The PDU's reference to its data passes
 * to the socket's outbound buffer; the pieces before the last are written with the void promise and the caller's
 * promise goes with the last, so a PDU costs no promise objects of its own.
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
        ByteBuf data = pdu.data();
        ByteBuf head = null;
        ByteBuf tail = null;
        try {
            int dataLength = data.readableBytes();
            int padding = (4 - (dataLength & 3)) & 3;
            Bhs bhs = pdu.bhs();
            bhs.dataSegmentLength(dataLength);
            byte[] ahs = pdu.ahs();
            bhs.totalAhsLengthWords(ahs.length / 4);
            boolean headerDigest = settings.headerDigest();
            boolean dataDigest = settings.dataDigest() && dataLength > 0;
            head = ctx.alloc().buffer(Bhs.LENGTH + ahs.length + (headerDigest ? 4 : 0));
            head.writeBytes(bhs.bytes());
            head.writeBytes(ahs);
            if (headerDigest) {
                int crc = ahs.length == 0 ? Crc32c.of(bhs.bytes(), 0, Bhs.LENGTH) : Crc32c.of(head, 0);
                head.writeIntLE(crc);
            }
            if (dataLength > 0 && (padding > 0 || dataDigest)) {
                tail = ctx.alloc().buffer(padding + 4);
                tail.writeZero(padding);
                if (dataDigest) {
                    tail.writeIntLE(Crc32c.of(data, padding));
                }
            }
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(head);
            ReferenceCountUtil.release(tail);
            pdu.release();
            promise.setFailure(e);
            return;
        }
        if (!data.isReadable()) {
            pdu.release();
            ctx.write(head, promise);
            return;
        }
        ctx.write(head, ctx.voidPromise());
        if (tail == null) {
            ctx.write(data, promise);
        } else {
            ctx.write(data, ctx.voidPromise());
            ctx.write(tail, promise);
        }
    }
}

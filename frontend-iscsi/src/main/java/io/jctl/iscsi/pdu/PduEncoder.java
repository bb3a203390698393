package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes a PDU as header (+ header digest), then the data segment itself (no copy), then padding and data digest.
 * Fills in DataSegmentLength and TotalAHSLength from what the PDU carries.
 */
public final class PduEncoder extends MessageToMessageEncoder<Pdu> {
    private final DigestSettings settings;

    public PduEncoder(DigestSettings settings) {
        super(Pdu.class);
        this.settings = settings;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
        ByteBuf data = pdu.data();
        int dataLength = data.readableBytes();
        int padding = (4 - (dataLength & 3)) & 3;
        Bhs bhs = pdu.bhs();
        bhs.dataSegmentLength(dataLength);
        byte[] ahs = pdu.ahs();
        bhs.totalAhsLengthWords(ahs.length / 4);
        boolean headerDigest = settings.headerDigest();
        boolean dataDigest = settings.dataDigest() && dataLength > 0;

        ByteBuf head = ctx.alloc().buffer(Bhs.LENGTH + ahs.length + 4 + (dataLength == 0 ? 0 : padding + 4));
        head.writeBytes(bhs.bytes());
        head.writeBytes(ahs);
        if (headerDigest) {
            int crc = ahs.length == 0 ? Crc32c.of(bhs.bytes(), 0, Bhs.LENGTH) : Crc32c.of(head, 0);
            head.writeIntLE(crc);
        }
        if (dataLength == 0) {
            out.add(head);
            return;
        }
        int digest = dataDigest ? Crc32c.of(data, padding) : 0;
        out.add(head);
        out.add(data.retain());
        if (padding == 0 && !dataDigest) {
            return;
        }
        ByteBuf tail = ctx.alloc().buffer(padding + 4);
        tail.writeZero(padding);
        if (dataDigest) {
            tail.writeIntLE(digest);
        }
        out.add(tail);
    }
}

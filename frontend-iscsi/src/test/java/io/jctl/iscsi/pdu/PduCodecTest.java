package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PduCodecTest {
    private final List<Object> toRelease = new ArrayList<>();

    @AfterEach
    void release() {
        for (Object o : toRelease) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }

    /** RFC 3720 Appendix B.4 vectors, sent least significant byte first. */
    @Test
    void crc32cKnownVectors() {
        assertEquals(0x8a9136aa, Crc32c.of(new byte[32], 0, 32));
        byte[] inc = new byte[32];
        for (int i = 0; i < 32; i++) {
            inc[i] = (byte) i;
        }
        assertEquals(0x46dd794e, Crc32c.of(inc, 0, 32));
        ByteBuf buf = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(inc, 0, 10), Unpooled.wrappedBuffer(inc, 10, 22));
        assertEquals(0x46dd794e, Crc32c.of(buf, 0));
        buf.release();
        // Padding counts as zero bytes.
        assertEquals(Crc32c.of(new byte[32], 0, 32), Crc32c.of(Unpooled.wrappedBuffer(new byte[29]), 3));
    }

    private static byte[] encode(Pdu pdu, DigestSettings settings) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduEncoder(settings));
        assertTrue(ch.writeOutbound(pdu));
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        assertFalse(ch.finish());
        return out;
    }

    private static Pdu sample(int dataLength) {
        Bhs bhs = Bhs.create(Opcode.SCSI_COMMAND).flags(Bhs.FINAL | 0x20).itt(0x1234).u32(20, dataLength);
        byte[] data = new byte[dataLength];
        for (int i = 0; i < dataLength; i++) {
            data[i] = (byte) (i * 7);
        }
        return Pdu.of(bhs, Unpooled.wrappedBuffer(data));
    }

    @Test
    void encodesHeaderPaddingAndDigests() {
        DigestSettings s = new DigestSettings(8192);
        s.enable(true, true);
        byte[] wire = encode(sample(5), s);
        assertEquals(48 + 4 + 5 + 3 + 4, wire.length);
        assertEquals(5, ((wire[5] & 0xff) << 16) | ((wire[6] & 0xff) << 8) | (wire[7] & 0xff));
        int hd = Unpooled.wrappedBuffer(wire).getIntLE(48);
        assertEquals(Crc32c.of(wire, 0, 48), hd);
        int dd = Unpooled.wrappedBuffer(wire).getIntLE(48 + 4 + 8);
        assertEquals(Crc32c.of(wire, 52, 8), dd);
        assertArrayEquals(new byte[3], java.util.Arrays.copyOfRange(wire, 57, 60));
    }

    @Test
    void noDataDigestWithoutData() {
        DigestSettings s = new DigestSettings(8192);
        s.enable(true, true);
        assertEquals(52, encode(Pdu.of(Bhs.create(Opcode.NOP_IN)), s).length);
    }

    @Test
    void decodesByteByByte() {
        DigestSettings s = new DigestSettings(8192);
        s.enable(true, true);
        byte[] wire = encode(sample(1001), s);
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(s));
        for (int i = 0; i < wire.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(wire, i, 1));
            if (i < wire.length - 1) {
                assertNull(ch.readInbound());
            }
        }
        Pdu pdu = ch.readInbound();
        toRelease.add(pdu);
        assertEquals(Opcode.SCSI_COMMAND, pdu.opcode());
        assertEquals(0x1234, pdu.bhs().itt());
        assertEquals(1001, pdu.data().readableBytes());
        assertEquals((byte) (1000 * 7), pdu.data().getByte(1000));
        assertFalse(pdu.dataDigestError());
        assertFalse(ch.finish());
    }

    @Test
    void decodesSeveralPdusFromOneRead() {
        DigestSettings s = new DigestSettings(8192);
        byte[] a = encode(sample(3), s);
        byte[] b = encode(sample(0), s);
        ByteBuf both = Unpooled.wrappedBuffer(a, b);
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(s));
        ch.writeInbound(both);
        Pdu first = ch.readInbound();
        Pdu second = ch.readInbound();
        toRelease.add(first);
        toRelease.add(second);
        assertEquals(3, first.data().readableBytes());
        assertEquals(0, second.data().readableBytes());
        assertFalse(ch.finish());
    }

    @Test
    void badHeaderDigestStopsDecoding() {
        DigestSettings s = new DigestSettings(8192);
        s.enable(true, false);
        byte[] wire = encode(sample(8), s);
        wire[48] ^= 1;
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(s));
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        FramingError e = assertInstanceOf(FramingError.class, ch.readInbound());
        assertEquals(FramingError.Kind.HEADER_DIGEST, e.kind());
        // Whatever follows is discarded.
        ch.writeInbound(Unpooled.wrappedBuffer(encode(sample(8), s)));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void badDataDigestIsFlaggedAndDataDropped() {
        DigestSettings s = new DigestSettings(8192);
        s.enable(false, true);
        byte[] wire = encode(sample(8), s);
        wire[50] ^= 1;
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(s));
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        Pdu pdu = ch.readInbound();
        toRelease.add(pdu);
        assertTrue(pdu.dataDigestError());
        assertEquals(0, pdu.data().readableBytes());
        // The stream stays in sync: the next PDU decodes.
        ch.writeInbound(Unpooled.wrappedBuffer(encode(sample(8), s)));
        Pdu next = ch.readInbound();
        toRelease.add(next);
        assertFalse(next.dataDigestError());
        assertFalse(ch.finish());
    }

    @Test
    void oversizedSegmentIsRefusedBeforeItArrives() {
        DigestSettings s = new DigestSettings(512);
        byte[] wire = encode(sample(1024), s);
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(s));
        // Only the header: the decoder must not wait for (or buffer) the segment.
        ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, 48));
        FramingError e = assertInstanceOf(FramingError.class, ch.readInbound());
        assertEquals(FramingError.Kind.OVERSIZED_SEGMENT, e.kind());
        assertEquals(0x1234, e.header().itt());
        assertFalse(ch.finish());
    }

    @Test
    void ahsIsFramedAndChecked() {
        DigestSettings s = new DigestSettings(8192);
        Bhs bhs = Bhs.create(Opcode.SCSI_COMMAND).itt(7);
        // Extended CDB AHS: length 5 (reserved byte + 4 CDB bytes) padded to 8 bytes.
        byte[] ahs = {0, 5, 1, 0, 1, 2, 3, 4};
        Pdu pdu = new Pdu(bhs, ahs, Unpooled.EMPTY_BUFFER, false);
        byte[] wire = encode(pdu, s);
        assertEquals(56, wire.length);
        assertEquals(2, wire[4]);
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(s));
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        Pdu got = ch.readInbound();
        toRelease.add(got);
        assertArrayEquals(ahs, got.ahs());

        wire[1 + 48] = 9; // AHS claims more than TotalAHSLength holds
        EmbeddedChannel bad = new EmbeddedChannel(new PduDecoder(s));
        bad.writeInbound(Unpooled.wrappedBuffer(wire));
        assertEquals(FramingError.Kind.BAD_AHS, assertInstanceOf(FramingError.class, bad.readInbound()).kind());
        assertFalse(ch.finish());
        assertFalse(bad.finish());
    }

    @Test
    void textKeysRoundTripAndSyntaxErrors() throws Exception {
        ByteBuf text = TextKeys.encode(List.of(java.util.Map.entry("A", "1"), java.util.Map.entry("B", "x=y")));
        var pairs = TextKeys.parse(text);
        text.release();
        assertEquals("1", pairs.get(0).getValue());
        assertEquals("x=y", pairs.get(1).getValue());
        org.junit.jupiter.api.Assertions.assertThrows(TextKeys.SyntaxException.class,
                () -> TextKeys.parse(Unpooled.copiedBuffer("NoEquals\0", java.nio.charset.StandardCharsets.UTF_8)));
        org.junit.jupiter.api.Assertions.assertThrows(TextKeys.SyntaxException.class,
                () -> TextKeys.parse(Unpooled.copiedBuffer("A=1", java.nio.charset.StandardCharsets.UTF_8)));
        org.junit.jupiter.api.Assertions.assertThrows(TextKeys.SyntaxException.class,
                () -> TextKeys.parse(Unpooled.copiedBuffer("K".repeat(64) + "=1\0",
                        java.nio.charset.StandardCharsets.UTF_8)));
    }
}

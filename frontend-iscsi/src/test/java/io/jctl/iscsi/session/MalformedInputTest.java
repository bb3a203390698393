package io.jctl.iscsi.session;

import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.DigestSettings;
import io.jctl.iscsi.pdu.PduDecoder;
import io.jctl.iscsi.pdu.PduEncoder;
import io.jctl.iscsi.testing.FakeScsiService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random PDUs after a good login, through the real framing: the connection may reject them or drop itself, but no
 * exception escapes, the core is never handed garbage it cannot take, and nothing leaks.
 */
class MalformedInputTest {
    @Test
    void randomPdusNeverEscapeAsExceptions() {
        Random random = new Random(7143);
        for (int round = 0; round < 200; round++) {
            FakeScsiService core = new FakeScsiService(256);
            try (Harness h = new Harness(core, IscsiSettings.defaults())) {
                h.login("InitialR2T", "No");
                DigestSettings digests = new DigestSettings(IscsiSettings.defaults().maxRecvDataSegmentLength());
                EmbeddedChannel wire = new EmbeddedChannel(new PduDecoder(digests));
                for (int i = 0; i < 20 && h.ch.isOpen(); i++) {
                    byte[] header = new byte[Bhs.LENGTH];
                    random.nextBytes(header);
                    // Keep most headers plausible so they reach deeper than the framing checks.
                    header[4] = (byte) (random.nextInt(8) == 0 ? random.nextInt(3) : 0);
                    int length = random.nextInt(4) == 0 ? random.nextInt(2048) : 0;
                    header[5] = 0;
                    header[6] = (byte) (length >>> 8);
                    header[7] = (byte) length;
                    if (random.nextBoolean()) {
                        header[0] = (byte) ((random.nextBoolean() ? 0x40 : 0) | new int[]{0, 1, 2, 4, 5, 6, 0x10}
                                [random.nextInt(7)]);
                    }
                    int ahs = (header[4] & 0xff) * 4;
                    int padded = (length + 3) & ~3;
                    ByteBuf bytes = Unpooled.buffer(Bhs.LENGTH + ahs + padded);
                    bytes.writeBytes(header);
                    byte[] rest = new byte[ahs + padded];
                    random.nextBytes(rest);
                    bytes.writeBytes(rest);
                    wire.writeInbound(bytes);
                    Object msg;
                    while ((msg = wire.readInbound()) != null) {
                        h.ch.writeInbound(msg);
                    }
                    Object out;
                    while ((out = h.ch.readOutbound()) != null) {
                        ReferenceCountUtil.release(out);
                    }
                }
                wire.finishAndReleaseAll();
                h.ch.checkException();
            }
            assertTrue(core.completed.get() >= 0);
        }
    }

    @Test
    void encoderRoundTripOfRandomHeaders() {
        Random random = new Random(1);
        DigestSettings digests = new DigestSettings(1 << 20);
        digests.enable(true, true);
        EmbeddedChannel enc = new EmbeddedChannel(new PduEncoder(digests));
        EmbeddedChannel dec = new EmbeddedChannel(new PduDecoder(digests));
        for (int i = 0; i < 500; i++) {
            byte[] header = new byte[Bhs.LENGTH];
            random.nextBytes(header);
            header[4] = 0;
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            enc.writeOutbound(io.jctl.iscsi.pdu.Pdu.of(Bhs.wrap(header), Unpooled.wrappedBuffer(data)));
            ByteBuf part;
            while ((part = enc.readOutbound()) != null) {
                dec.writeInbound(part);
            }
            io.jctl.iscsi.pdu.Pdu got = dec.readInbound();
            assertTrue(java.util.Arrays.equals(header, got.bhs().bytes()));
            assertTrue(java.util.Arrays.equals(data, io.netty.buffer.ByteBufUtil.getBytes(got.data())));
            got.release();
        }
        enc.finishAndReleaseAll();
        dec.finishAndReleaseAll();
    }
}

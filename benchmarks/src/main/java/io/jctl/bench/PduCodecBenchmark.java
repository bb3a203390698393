package io.jctl.bench;

import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Crc32c;
import io.jctl.iscsi.pdu.DigestSettings;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.pdu.PduDecoder;
import io.jctl.iscsi.pdu.PduEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The frontend's framing through a Netty pipeline, as the event loop runs it: {@code decode} frames one received PDU
 * (a SCSI Command when {@code dataLength} is 0, else a Data-Out carrying that much), {@code encode} writes one
 * Data-In of {@code dataLength} bytes. With {@code digests} the header and data CRC32C are computed and checked.
 */
@State(Scope.Thread)
public class PduCodecBenchmark {
    @Param({"0", "4096", "131072"})
    public int dataLength;

    @Param({"false", "true"})
    public boolean digests;

    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    /** One received PDU as it arrives from the socket; a retained duplicate is fed per operation. */
    private ByteBuf wire;
    private ByteBuf payload;

    @Setup(Level.Trial)
    public void setUp() {
        DigestSettings settings = new DigestSettings(1 << 20);
        settings.enable(digests, digests);
        decoder = new EmbeddedChannel(new PduDecoder(settings));
        encoder = new EmbeddedChannel(new PduEncoder(settings));
        decoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        encoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);

        payload = PooledByteBufAllocator.DEFAULT.directBuffer(dataLength);
        for (int i = 0; i < dataLength; i++) {
            payload.writeByte(i * 31);
        }
        Bhs bhs = dataLength == 0 ? scsiRead() : dataOut(dataLength);
        bhs.dataSegmentLength(dataLength);
        wire = PooledByteBufAllocator.DEFAULT.directBuffer();
        wire.writeBytes(bhs.bytes());
        if (digests) {
            wire.writeIntLE(Crc32c.of(bhs.bytes(), 0, Bhs.LENGTH));
        }
        if (dataLength > 0) {
            wire.writeBytes(payload, payload.readerIndex(), dataLength);
            if (digests) {
                wire.writeIntLE(Crc32c.of(payload, 0));
            }
        }
    }

    private static Bhs scsiRead() {
        Bhs bhs = Bhs.create(Opcode.SCSI_COMMAND).flags(Bhs.FINAL | 0x40 | 1).lun(0).itt(7);
        bhs.u32(20, 4096).u32(24, 1).u32(28, 1);
        bhs.u8(32, 0x28).u32(34, 1234).u16(39, 8);   // READ(10), LBA 1234, 8 blocks
        return bhs;
    }

    private static Bhs dataOut(int length) {
        return Bhs.create(Opcode.DATA_OUT).flags(Bhs.FINAL).lun(0).itt(7).u32(20, 0x10).u32(36, 0).u32(40, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        wire.release();
        payload.release();
    }

    @Benchmark
    public void decode(Blackhole bh) {
        decoder.writeInbound(wire.retainedDuplicate());
        Object pdu = decoder.readInbound();
        bh.consume(pdu);
        ReferenceCountUtil.release(pdu);
    }

    @Benchmark
    public void encode(Blackhole bh) {
        Bhs bhs = Bhs.create(Opcode.DATA_IN).flags(Bhs.FINAL | 1).lun(0).itt(7).u32(20, Bhs.RESERVED_TAG);
        bhs.u32(24, 1).u32(28, 2).u32(32, 33).u32(36, 0).u32(40, 0);
        encoder.writeOutbound(Pdu.of(bhs, payload.retainedDuplicate()));
        for (Object out; (out = encoder.readOutbound()) != null; ) {
            bh.consume(out);
            ReferenceCountUtil.release(out);
        }
    }
}

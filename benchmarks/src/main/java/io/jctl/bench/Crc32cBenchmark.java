package io.jctl.bench;

import io.jctl.iscsi.pdu.Crc32c;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * iSCSI digests as the frontend computes them: over a 48-byte header array, and over a data segment held in one
 * direct buffer or in a composite of 4 KiB pieces (what Data-In made of RAM disk pages looks like).
 */
@State(Scope.Thread)
public class Crc32cBenchmark {
    @Param({"48", "4096", "131072"})
    public int length;

    private byte[] header;
    private ByteBuf direct;
    private CompositeByteBuf pieces;

    @Setup(Level.Trial)
    public void setUp() {
        header = new byte[length];
        for (int i = 0; i < length; i++) {
            header[i] = (byte) (i * 7);
        }
        direct = PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(header);
        pieces = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(Integer.MAX_VALUE);
        for (int off = 0; off < length; off += 4096) {
            int n = Math.min(4096, length - off);
            pieces.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(header, off, n));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        direct.release();
        pieces.release();
    }

    @Benchmark
    public int array() {
        return Crc32c.of(header, 0, length);
    }

    @Benchmark
    public int directBuffer() {
        return Crc32c.of(direct, 0);
    }

    @Benchmark
    public int composite() {
        return Crc32c.of(pieces, 0);
    }
}

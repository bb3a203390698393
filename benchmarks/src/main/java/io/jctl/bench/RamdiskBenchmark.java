package io.jctl.bench;

import io.jctl.backend.ramdisk.RamdiskBackend;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Map;

/**
 * The RAM disk backend alone: a read or write of {@code ioSize} bytes at a pseudo-random aligned offset of a
 * 64 MiB LUN that has been written once all over ({@code capacity} = size), or of the black hole (capacity 0).
 */
@State(Scope.Thread)
public class RamdiskBenchmark {
    private static final long SIZE = 64L << 20;
    private static final int BLOCK = 512;

    @Param({"4096", "131072"})
    public int ioSize;

    @Param({"full", "blackhole"})
    public String kind;

    private BackendLun lun;
    private ByteBuf data;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private long slots;
    private long next = 1;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String capacity = kind.equals("full") ? Long.toString(SIZE) : "0";
        lun = new RamdiskBackend().open(new LunSpec(SIZE, BLOCK, Map.of("capacity", capacity)));
        data = alloc.directBuffer(ioSize);
        data.writeZero(ioSize);
        slots = SIZE / ioSize;
        for (long s = 0; s < slots; s++) {
            lun.write(s * ioSize / BLOCK, data.duplicate(), false).join();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        data.release();
        lun.close();
    }

    /** An LCG walk over the slots, so consecutive I/Os land on different pages. */
    private long nextLba() {
        next = next * 6364136223846793005L + 1442695040888963407L;
        return ((next >>> 33) % slots) * ioSize / BLOCK;
    }

    @Benchmark
    public int read() {
        ByteBuf out = lun.read(nextLba(), ioSize / BLOCK, alloc).join();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public Object write() {
        return lun.write(nextLba(), data.duplicate(), false).join();
    }
}

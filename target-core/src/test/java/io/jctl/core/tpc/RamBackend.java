package io.jctl.core.tpc;

import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.testing.MemoryBackendLun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend named "ram" whose LUNs keep their data and can hold writes at a gate, so a test can act while a copy's
 * write is in flight.
 */
final class RamBackend implements Backend {
    @Override
    public String name() {
        return "ram";
    }

    @Override
    public BackendLun open(LunSpec spec) {
        return new GatedLun(spec.sizeBytes() / spec.blockSize(), spec.blockSize());
    }

    /** RAM storage with a write gate. */
    static final class GatedLun implements BackendLun {
        final MemoryBackendLun mem;
        final AtomicInteger writesStarted = new AtomicInteger();
        private volatile CompletableFuture<Void> gate;

        GatedLun(long blocks, int blockSize) {
            mem = new MemoryBackendLun(blocks, blockSize);
        }

        /** Writes from now on wait until {@link #open()}. */
        void close(boolean closed) {
            gate = closed ? new CompletableFuture<>() : null;
        }

        void open() {
            CompletableFuture<Void> g = gate;
            gate = null;
            if (g != null) {
                g.complete(null);
            }
        }

        @Override
        public int blockSize() {
            return mem.blockSize();
        }

        @Override
        public long blockCount() {
            return mem.blockCount();
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public CompletableFuture<ByteBuf> read(long lba, int blocks, ByteBufAllocator alloc) {
            return mem.read(lba, blocks, alloc);
        }

        @Override
        public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
            writesStarted.incrementAndGet();
            CompletableFuture<Void> g = gate;
            if (g == null) {
                return mem.write(lba, data, fua);
            }
            return g.thenCompose(v -> mem.write(lba, data, fua));
        }

        @Override
        public CompletableFuture<Void> flush() {
            return mem.flush();
        }

        @Override
        public void resize(long sizeBytes) {
            mem.resize(sizeBytes);
        }

        @Override
        public Map<String, String> info() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }
}

package io.jctl.core.testing;

import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendLun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Storage of {@link MemBackend}: reads zeros, drops writes, remembers whether it was closed. */
public final class MemLun implements BackendLun {
    private final int blockSize;
    private volatile long blockCount;
    private final boolean readOnly;
    private final boolean inline;
    private final boolean onCaller;
    public volatile boolean closed;

    MemLun(int blockSize, long blockCount, boolean readOnly, boolean inline, boolean onCaller) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.readOnly = readOnly;
        this.inline = inline;
        this.onCaller = onCaller;
    }

    @Override
    public boolean completesInline() {
        return inline;
    }

    @Override
    public boolean runsOnCaller() {
        return inline || onCaller;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks, ByteBufAllocator alloc) {
        return CompletableFuture.completedFuture(alloc.buffer(blocks * blockSize).writeZero(blocks * blockSize));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void resize(long sizeBytes) throws BackendConfigException {
        if (sizeBytes > (1L << 50)) {
            throw new BackendConfigException("too big for mem");
        }
        blockCount = sizeBytes / blockSize;
    }

    @Override
    public Map<String, String> info() {
        return Map.of();
    }

    @Override
    public void close() {
        closed = true;
    }
}

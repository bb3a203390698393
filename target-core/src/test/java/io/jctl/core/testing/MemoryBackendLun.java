package io.jctl.core.testing;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LbaStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A RAM-backed LUN store for handler tests; counts flushes and FUA writes, and can be made to fail. Made thin
 * ({@link #setThin}) it deallocates: it records UNMAP calls, zeroes the ranges and keeps a status per block.
 */
public final class MemoryBackendLun implements BackendLun {
    private final int blockSize;
    private volatile long blockCount;
    private byte[] data;
    private volatile boolean readOnly;
    private volatile BackendIoException failure;
    private volatile RuntimeException thrown;
    public volatile int flushes;
    public volatile int fuaWrites;
    public volatile int writes;
    public volatile int reads;
    /** Every {@link #unmap} call, in order. */
    public final List<UnmapCall> unmaps = new ArrayList<>();
    private volatile boolean thin;
    private volatile boolean anchoring = true;
    private byte[] states;

    /** One {@link #unmap} call. */
    public record UnmapCall(long lba, long blocks, boolean anchor) {
    }

    /** LBA and block count of every pre-fetch, in order. */
    public final java.util.List<Long> prefetched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean cacheEverything;
    private volatile long atomicWriteBlocks;
    private volatile long blocksUsed = -1;
    private volatile long blocksAvailable = -1;

    public MemoryBackendLun(long blockCount, int blockSize) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.data = new byte[Math.toIntExact(blockCount * blockSize)];
    }

    public byte[] bytes() {
        return data;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Every following operation fails with this (null: succeed again). */
    public void failWith(BackendIoException e) {
        this.failure = e;
    }

    /** Advertises a block count without storage behind it, for capacity reporting tests. */
    public void advertise(long blocks) {
        blockCount = blocks;
    }

    /** Every following read or write throws this synchronously (a broken backend), null: stop. */
    public void throwOnCall(RuntimeException e) {
        this.thrown = e;
    }

    /** Changes the advertised size, as a resize would. */
    public void setBlockCount(long blocks) {
        byte[] next = new byte[Math.toIntExact(blocks * blockSize)];
        System.arraycopy(data, 0, next, 0, Math.min(next.length, data.length));
        data = next;
        blockCount = blocks;
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
        reads++;
        if (thrown != null) {
            throw thrown;
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        int len = blocks * blockSize;
        ByteBuf buf = alloc.buffer(len);
        buf.writeBytes(data, Math.toIntExact(lba * blockSize), len);
        return CompletableFuture.completedFuture(buf);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf buf, boolean fua) {
        writes++;
        if (fua) {
            fuaWrites++;
        }
        if (thrown != null) {
            throw thrown;
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        buf.getBytes(buf.readerIndex(), data, Math.toIntExact(lba * blockSize), buf.readableBytes());
        if (states != null) {
            Arrays.fill(states, (int) lba, (int) lba + buf.readableBytes() / blockSize, (byte) 0);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Pre-fetch answers that everything is cached (a RAM disk), or that nothing can be told (false). */
    public void cacheEverything(boolean cached) {
        this.cacheEverything = cached;
    }

    /** What {@link #atomicWriteBlocks()} answers (0 at first: no atomic writes). */
    public void atomicWrites(long blocks) {
        this.atomicWriteBlocks = blocks;
    }

    /** What {@link #blocksUsed()} and {@link #blocksAvailable()} answer (-1 at first: not counted). */
    public void counts(long used, long available) {
        this.blocksUsed = used;
        this.blocksAvailable = available;
    }

    @Override
    public long blocksUsed() {
        return blocksUsed;
    }

    @Override
    public long blocksAvailable() {
        return blocksAvailable;
    }

    @Override
    public long atomicWriteBlocks() {
        return atomicWriteBlocks;
    }

    @Override
    public CompletableFuture<Boolean> prefetch(long lba, long blocks) {
        prefetched.add(lba);
        prefetched.add(blocks);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(cacheEverything);
    }

    @Override
    public CompletableFuture<Void> flush() {
        flushes++;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void resize(long sizeBytes) {
        setBlockCount(sizeBytes / blockSize);
    }

    @Override
    public Map<String, String> info() {
        return Map.of();
    }

    @Override
    public void close() {
    }

    /** Thin: deallocates, deallocated blocks read as zeros, anchoring offered; every block starts deallocated. */
    public void setThin(boolean thin) {
        this.thin = thin;
        states = new byte[Math.toIntExact(blockCount)];
        Arrays.fill(states, (byte) (thin ? 1 : 0));
    }

    @Override
    public boolean canUnmap() {
        return thin && !readOnly;
    }

    @Override
    public boolean unmapReadsZeros() {
        return thin;
    }

    /** Whether a thin store offers anchoring (it does unless told otherwise). */
    public void setAnchoring(boolean anchoring) {
        this.anchoring = anchoring;
    }

    @Override
    public boolean canAnchor() {
        return thin && anchoring;
    }

    @Override
    public int unmapGranularity() {
        return thin ? 8 * blockSize : blockSize;
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks, boolean anchor) {
        if (!thin) {
            return BackendLun.super.unmap(lba, blocks, anchor);
        }
        unmaps.add(new UnmapCall(lba, blocks, anchor));
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Arrays.fill(data, Math.toIntExact(lba * blockSize), Math.toIntExact((lba + blocks) * blockSize), (byte) 0);
        Arrays.fill(states, (int) lba, (int) (lba + blocks), (byte) (anchor ? 2 : 1));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<LbaStatus> lbaStatus(long lba) {
        if (states == null) {
            return BackendLun.super.lbaStatus(lba);
        }
        int first = (int) lba;
        int end = first;
        while (end < states.length && states[end] == states[first]) {
            end++;
        }
        return CompletableFuture.completedFuture(new LbaStatus(LbaStatus.State.values()[states[first]], end - first));
    }
}

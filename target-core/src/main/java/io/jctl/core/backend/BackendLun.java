package io.jctl.core.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The storage behind one LUN. Operations are asynchronous; their futures complete exceptionally with
 * {@link BackendIoException} on failure. The core has already checked ranges against {@link #blockCount()}.
 */
public interface BackendLun extends AutoCloseable {

    int blockSize();

    long blockCount();

    /** True when the storage cannot be written (read-only file, readonly option). */
    boolean readOnly();

    /**
     * Reads {@code blocks} blocks from {@code lba} into a new buffer from {@code alloc}; the caller owns the
     * result and releases it.
     */
    CompletableFuture<ByteBuf> read(long lba, int blocks, ByteBufAllocator alloc);

    /**
     * Writes {@code data} (a whole number of blocks) at {@code lba}. The caller keeps ownership of {@code data}
     * and releases it after the future completes. {@code fua}: the data is on stable storage when the future
     * completes.
     */
    CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua);

    /**
     * The most blocks one write may carry and still be all-or-nothing, even if the target fails during it
     * (WRITE ATOMIC); 0 when the storage cannot promise that for any write of more than one block.
     */
    default long atomicWriteBlocks() {
        return 0;
    }

    /** Makes every completed write stable (SYNCHRONIZE CACHE). */
    CompletableFuture<Void> flush();

    /**
     * PRE-FETCH: brings {@code blocks} blocks from {@code lba} into the backend's cache if it has one. The future
     * tells whether the whole range is in memory now (the command then answers CONDITION MET). Storage that
     * cannot tell, or keeps no cache of its own, answers false.
     */
    default CompletableFuture<Boolean> prefetch(long lba, long blocks) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Changes the advertised size ({@code ctladm modify -s}); {@link LunSpec#SIZE_AUTO} re-reads the size of the
     * backing store.
     */
    void resize(long sizeBytes) throws BackendConfigException;

    /** Backend facts for {@code ctladm devlist -v}: {@code file}, {@code num_threads}, {@code capacity} ... */
    Map<String, String> info();

    /** Releases the storage: files closed, memory freed. Waits for operations in flight. */
    @Override
    void close();
}

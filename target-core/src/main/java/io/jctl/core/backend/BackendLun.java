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
     * True when {@link #read}, {@link #write} and {@link #flush} do their work on the caller's thread and return
     * completed futures without ever waiting for a device (memory-backed storage). The core then runs the media
     * access commands of this LUN on the thread that submitted them instead of handing them to a worker thread.
     */
    default boolean completesInline() {
        return false;
    }

    /**
     * True when this LUN's media access commands (those with an LBA extent: READ, WRITE, VERIFY ...) are best run
     * on the thread that submits them, usually the frontend's network thread. Such storage never blocks the caller
     * in the calls these commands make: it completes them inline when it can (memory, a page-cache hit) and hands
     * the rest to threads of its own. Storage that {@linkplain #completesInline completes inline} does.
     */
    default boolean runsOnCaller() {
        return completesInline();
    }

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

    /**
     * True when this storage can deallocate blocks ({@link #unmap}): the RAM disk always, a file on a file system
     * that punches holes, a device that discards. UNMAP, WRITE SAME with UNMAP and LBPME follow it.
     */
    default boolean canUnmap() {
        return false;
    }

    /** True when deallocated blocks read as zeros (LBPRZ). */
    default boolean unmapReadsZeros() {
        return false;
    }

    /** True when {@link #unmap} can anchor blocks (ANC_SUP): storage stays reserved, the blocks read as zeros. */
    default boolean canAnchor() {
        return false;
    }

    /**
     * Deallocates {@code blocks} blocks from {@code lba} (UNMAP, WRITE SAME with UNMAP). Afterwards they read as
     * zeros when {@link #unmapReadsZeros()}; {@code anchor} keeps their storage reserved ({@link #canAnchor()}).
     * Parts of the range the storage cannot deallocate (unaligned edges) are zeroed instead, never left with old
     * data. Fails with UNSUPPORTED when {@link #canUnmap()} is false.
     */
    default CompletableFuture<Void> unmap(long lba, long blocks, boolean anchor) {
        return CompletableFuture.failedFuture(new BackendIoException(BackendIoException.Kind.UNSUPPORTED,
                "this storage cannot deallocate blocks"));
    }

    /**
     * The provisioning status of block {@code lba} and how many blocks from it share that status (GET LBA
     * STATUS). Storage that cannot tell reports every block mapped.
     */
    default CompletableFuture<LbaStatus> lbaStatus(long lba) {
        BackendIoException refused = BackendIoException.outsideLun(lba, 1, 0, blockCount());
        return refused != null ? CompletableFuture.failedFuture(refused)
                : CompletableFuture.completedFuture(new LbaStatus(LbaStatus.State.MAPPED, blockCount() - lba));
    }

    /** Blocks that hold storage now (ctl-facts §5.2 {@code blocksused}), or -1 when the storage cannot tell. */
    default long blocksUsed() {
        return -1;
    }

    /** Blocks that can still be allocated ({@code blocksavail}), or -1 when the storage cannot tell. */
    default long blocksAvailable() {
        return -1;
    }

    /**
     * The smallest range, in bytes, that {@link #unmap} deallocates whole (aligned to its own size): the RAM disk's
     * page, a file system's block, a device's discard granularity. Reported as the optimal unmap granularity unless
     * the {@code ublocksize} option says otherwise.
     */
    default int unmapGranularity() {
        return blockSize();
    }

    /** Backend facts for {@code ctladm devlist -v}: {@code file}, {@code num_threads}, {@code capacity} ... */
    Map<String, String> info();

    /** Releases the storage: files closed, memory freed. Waits for operations in flight. */
    @Override
    void close();
}

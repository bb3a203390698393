package io.jctl.backend.block;

import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LbaStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

/**
 * One file or device LUN. A read whose data the page cache holds is copied on the caller's thread
 * ({@link CachedReads}); everything else runs on the LUN's own daemon threads ({@link IoThreads}) with positional
 * {@link FileChannel} calls, straight between the channel and the buffers' memory. Nothing that may wait for a
 * device runs on the caller's thread, so the core calls from its network threads ({@link #runsOnCaller}).
 * A write's future completes only once every byte is in the channel (and, with FUA, forced to stable storage), so
 * an acknowledged write is never lost. With a {@link Deallocator} the LUN is thin: UNMAP deallocates the whole
 * granules of a range and writes zeros over its unaligned edges, GET LBA STATUS asks the file where its data and
 * holes are.
 */
final class BlockLun implements BackendLun {
    private static final Logger log = LoggerFactory.getLogger(BlockLun.class);
    /** Idle I/O threads end after this long, so quiet LUNs hold no threads. */
    private static final long IDLE_SECONDS = 30;
    private static final long CLOSE_PROGRESS_SECONDS = 10;
    /** GET LBA STATUS reports runs of at most this many blocks (its NUMBER OF LOGICAL BLOCKS field is 32-bit). */
    static final long MAX_STATUS_RUN = 0xffffffffL;
    /** Zeros for the unaligned edges of an UNMAP; read-only, each write uses a duplicate. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
    /** Larger reads go to the I/O threads even when cached: a network thread copies no more than this at once. */
    static final int MAX_CACHED_READ = 1 << 20;

    private final BackingStore store;
    private final FileChannel channel;
    private final int blockSize;
    private final boolean readOnly;
    private final int threads;
    private final IoThreads executor;
    /** Null when reads cannot be served from memory on the caller's thread. */
    private final CachedReads cached;
    /** Null when the store cannot deallocate: the LUN is fully provisioned. */
    private final Deallocator deallocator;
    /**
     * Held shared by every call that reads on the caller's thread or queues an operation, exclusively (for good)
     * by {@link #close}: close waits for those calls, and none starts after it.
     */
    private final StampedLock accepting = new StampedLock();
    private volatile long blockCount;
    private volatile boolean closed;

    BlockLun(BackingStore store, FileChannel channel, int blockSize, long blockCount, boolean readOnly, int threads,
             CachedReads cached, Deallocator deallocator) {
        this.store = store;
        this.channel = channel;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.readOnly = readOnly;
        this.threads = threads;
        this.cached = cached;
        this.deallocator = deallocator;
        this.executor = new IoThreads("block " + store.path(), threads, TimeUnit.SECONDS.toNanos(IDLE_SECONDS),
                threadFactory(store));
        log.info("block: {} {} served as {} blocks of {} bytes, up to {} I/O threads{}{}{}",
                store.device() ? "device" : "file", store.path(), blockCount, blockSize, threads,
                cached == null ? "" : ", cached reads on the caller's thread",
                readOnly ? ", read-only" : "",
                deallocator == null ? "" : ", deallocates in " + deallocator.granularity() + "-byte units");
    }

    private static ThreadFactory threadFactory(BackingStore store) {
        String prefix = "block-" + store.path().getFileName() + "-";
        AtomicInteger next = new AtomicInteger();
        // Netty's own thread kind, so read buffers come from a per-thread cache instead of the shared arena and its
        // lock; the cache is given back when an idle thread ends.
        return task -> {
            Thread thread = new FastThreadLocalThread(() -> {
                try {
                    task.run();
                } finally {
                    FastThreadLocal.removeAll();
                }
            }, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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

    /**
     * Every call returns without waiting for a device: reads the page cache holds are copied on the caller's
     * thread, everything else is queued to the I/O threads, which wake only as many threads as the queue needs.
     * So the core may call from its network threads and save the hop to a worker lane and back.
     */
    @Override
    public boolean runsOnCaller() {
        return true;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks, ByteBufAllocator alloc) {
        long bytes = (long) blocks * blockSize;
        BackendIoException refused = check(lba, blocks, bytes);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        long position = lba * blockSize;
        int length = (int) bytes;
        if (cached == null || length > MAX_CACHED_READ) {
            return submit(new ReadOperation(position, length, alloc, null));
        }
        long stamp = accepting.tryReadLock();
        if (stamp == 0) {
            return CompletableFuture.failedFuture(noMedia());
        }
        try {
            ByteBuf out = alloc.directBuffer(length, length);
            try {
                cached.read(out, position);
            } catch (RuntimeException | Error e) {
                out.release();
                throw e;
            }
            if (!out.isWritable()) {
                return CompletableFuture.completedFuture(out);
            }
            // Not (all) in memory: an I/O thread reads the rest into the same buffer.
            return queue(new ReadOperation(position, length, alloc, out));
        } finally {
            accepting.unlockRead(stamp);
        }
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        int length = data.readableBytes();
        BackendIoException refused = readOnly
                ? new BackendIoException(BackendIoException.Kind.READ_ONLY, store.path() + " is read-only")
                : length % blockSize != 0
                ? new BackendIoException(BackendIoException.Kind.INTERNAL,
                "write of " + length + " bytes is not a whole number of " + blockSize + "-byte blocks")
                : check(lba, length / blockSize, length);
        return refused != null ? CompletableFuture.failedFuture(refused)
                : submit(new WriteOperation(lba * blockSize, data, fua));
    }

    @Override
    public CompletableFuture<Void> flush() {
        return closed ? CompletableFuture.failedFuture(noMedia()) : submit(new FlushOperation());
    }

    @Override
    public boolean canUnmap() {
        return deallocator != null && !readOnly;
    }

    @Override
    public boolean unmapReadsZeros() {
        return deallocator != null && deallocator.readsZeros();
    }

    @Override
    public int unmapGranularity() {
        return deallocator == null ? blockSize : deallocator.granularity();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks, boolean anchor) {
        BackendIoException refused = readOnly
                ? new BackendIoException(BackendIoException.Kind.READ_ONLY, store.path() + " is read-only")
                : deallocator == null || anchor
                ? new BackendIoException(BackendIoException.Kind.UNSUPPORTED, store.path() + " cannot "
                + (anchor ? "anchor" : "deallocate") + " blocks")
                : check(lba, blocks, 0);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return blocks == 0 ? CompletableFuture.completedFuture(null)
                : submit(new UnmapOperation(lba * blockSize, (lba + blocks) * blockSize));
    }

    @Override
    public CompletableFuture<LbaStatus> lbaStatus(long lba) {
        BackendIoException refused = check(lba, 1, 0);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        long limit = Math.min(blockCount - lba, MAX_STATUS_RUN);
        if (deallocator == null || !deallocator.knowsHoles()) {
            return CompletableFuture.completedFuture(new LbaStatus(LbaStatus.State.MAPPED, limit));
        }
        return submit(new StatusOperation(lba, limit));
    }

    @Override
    public long blocksUsed() {
        long bytes = deallocator == null ? -1 : deallocator.allocatedBytes();
        return bytes < 0 ? -1 : bytes / blockSize;
    }

    @Override
    public long blocksAvailable() {
        long bytes = deallocator == null ? -1 : deallocator.availableBytes();
        return bytes < 0 ? -1 : bytes / blockSize;
    }

    /** The reason an I/O of {@code blocks} blocks ({@code bytes} bytes) at {@code lba} cannot run, or null. */
    private BackendIoException check(long lba, long blocks, long bytes) {
        if (closed) {
            return noMedia();
        }
        return BackendIoException.outsideLun(lba, blocks, bytes, blockCount);
    }

    private BackendIoException noMedia() {
        return new BackendIoException(BackendIoException.Kind.NO_MEDIA, store.path() + " is closed");
    }

    /** Queues {@code operation} for an I/O thread; after close it fails with NO_MEDIA. */
    private <T> CompletableFuture<T> submit(Operation<T> operation) {
        long stamp = accepting.tryReadLock();
        if (stamp == 0) {
            operation.refuse(noMedia());
            return operation;
        }
        try {
            return queue(operation);
        } finally {
            accepting.unlockRead(stamp);
        }
    }

    /** Queues {@code operation}; the caller holds {@link #accepting}. */
    private <T> CompletableFuture<T> queue(Operation<T> operation) {
        if (!executor.execute(operation)) {
            operation.refuse(new BackendIoException(BackendIoException.Kind.INTERNAL,
                    store.path() + ": no I/O thread could be started"));
        }
        return operation;
    }

    /**
     * One I/O request: the future handed to the caller is also the task the I/O thread runs, so a request costs
     * one object. A failure completes it with the mapped error and a log line.
     */
    private abstract class Operation<T> extends CompletableFuture<T> implements Runnable {
        /** Does the I/O and completes this future. */
        abstract void perform() throws IOException;

        /** What the operation was, for error messages only. */
        abstract String describe();

        /** Ends an operation that will never run with {@code error}. */
        void refuse(BackendIoException error) {
            completeExceptionally(error);
        }

        @Override
        public final void run() {
            try {
                perform();
            } catch (Throwable t) {
                BackendIoException error = IoErrors.map(t, store.path() + ": " + describe());
                log.warn("block: {}", error.getMessage());
                completeExceptionally(error);
            }
        }
    }

    private final class ReadOperation extends Operation<ByteBuf> {
        private final long position;
        private final int length;
        private final ByteBufAllocator alloc;
        /** The buffer a read from memory began to fill (its writer index says how far), or null. */
        private final ByteBuf started;

        ReadOperation(long position, int length, ByteBufAllocator alloc, ByteBuf started) {
            this.position = position;
            this.length = length;
            this.alloc = alloc;
            this.started = started;
        }

        @Override
        void perform() throws IOException {
            ByteBuf out = started != null ? started : alloc.directBuffer(length, length);
            try {
                readFully(out);
            } catch (IOException | RuntimeException | Error e) {
                out.release();
                throw e;
            }
            if (!complete(out)) {
                out.release();          // the caller gave up on the read (cancelled)
            }
        }

        @Override
        void refuse(BackendIoException error) {
            if (started != null) {
                started.release();
            }
            super.refuse(error);
        }

        /**
         * Reads into {@code out} from its writer index on; what lies past the end of a (sparse, shortened) file
         * reads as zeros.
         */
        private void readFully(ByteBuf out) throws IOException {
            int from = out.writerIndex();
            ByteBuffer target = out.internalNioBuffer(from, length - from);
            long at = position + from;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            int filled = length - target.remaining();
            out.writerIndex(filled);
            out.writeZero(length - filled);
        }

        @Override
        String describe() {
            return "read of " + length + " bytes at offset " + position;
        }
    }

    private final class WriteOperation extends Operation<Void> {
        private final long position;
        private final ByteBuf data;
        private final int index;
        private final int length;
        private final boolean fua;

        WriteOperation(long position, ByteBuf data, boolean fua) {
            this.position = position;
            this.data = data;
            this.index = data.readerIndex();
            this.length = data.readableBytes();
            this.fua = fua;
        }

        @Override
        void perform() throws IOException {
            if (data.nioBufferCount() == 1) {
                writeFully(data.nioBuffer(index, length), position);
            } else {
                long at = position;
                for (ByteBuffer source : data.nioBuffers(index, length)) {
                    at = writeFully(source, at);
                }
            }
            if (fua) {
                channel.force(false);
            }
            complete(null);
        }

        /** Writes all of {@code source} from {@code at}, carrying on after short writes; returns the end. */
        private long writeFully(ByteBuffer source, long at) throws IOException {
            while (source.hasRemaining()) {
                at += channel.write(source, at);
            }
            return at;
        }

        @Override
        String describe() {
            return (fua ? "FUA write" : "write") + " of " + length + " bytes at offset " + position;
        }
    }

    private final class FlushOperation extends Operation<Void> {
        @Override
        void perform() throws IOException {
            channel.force(false);
            complete(null);
        }

        @Override
        String describe() {
            return "flush";
        }
    }

    /**
     * UNMAP of the byte range {@code [start, end)}: the whole granules inside it are deallocated, the parts before
     * the first and after the last are overwritten with zeros, so no byte of the range keeps its old data and no
     * byte outside it is touched.
     */
    private final class UnmapOperation extends Operation<Void> {
        private final long start;
        private final long end;

        UnmapOperation(long start, long end) {
            this.start = start;
            this.end = end;
        }

        @Override
        void perform() throws IOException {
            long granule = deallocator.granularity();
            long first = (start + granule - 1) / granule * granule;
            long last = end / granule * granule;
            if (first < last) {
                zero(start, first);
                deallocator.deallocate(first, last - first);
                zero(last, end);
            } else {
                zero(start, end);
            }
            complete(null);
        }

        private void zero(long from, long to) throws IOException {
            long at = from;
            while (at < to) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), to - at));
                while (zeros.hasRemaining()) {
                    at += channel.write(zeros, at);
                }
            }
        }

        @Override
        String describe() {
            return "unmap of " + (end - start) + " bytes at offset " + start;
        }
    }

    /**
     * GET LBA STATUS: a block is mapped when any of its bytes holds data. The run of mapped blocks ends at the
     * block holding the next hole's start; a run of deallocated ones ends before the block holding the next data.
     */
    private final class StatusOperation extends Operation<LbaStatus> {
        private final long lba;
        private final long limit;

        StatusOperation(long lba, long limit) {
            this.lba = lba;
            this.limit = limit;
        }

        @Override
        void perform() throws IOException {
            long position = lba * blockSize;
            long end = position + limit * blockSize;
            long data = deallocator.nextData(position);
            LbaStatus status;
            if (data >= 0 && data < position + blockSize) {
                long hole = deallocator.nextHole(Math.max(position, data));
                long runEnd = hole < 0 ? end : Math.min(end, hole);
                long blocks = (runEnd - position + blockSize - 1) / blockSize;
                status = new LbaStatus(LbaStatus.State.MAPPED, Math.max(1, Math.min(limit, blocks)));
            } else {
                long runEnd = data < 0 ? end : Math.min(end, data);
                status = new LbaStatus(LbaStatus.State.DEALLOCATED, Math.max(1, (runEnd - position) / blockSize));
            }
            complete(status);
        }

        @Override
        String describe() {
            return "LBA status at LBA " + lba;
        }
    }

    @Override
    public synchronized void resize(long sizeBytes) throws BackendConfigException {
        if (closed) {
            throw new BackendConfigException("block: " + store.path() + " is closed");
        }
        long oldBlocks = blockCount;
        blockCount = store.sizeFor(channel, sizeBytes, blockSize, readOnly) / blockSize;
        log.info("block: {} resized from {} to {} blocks", store.path(), oldBlocks, blockCount);
    }

    @Override
    public Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("file", store.path().toString());
        info.put("num_threads", Integer.toString(threads));
        info.put("readonly", readOnly ? "on" : "off");
        long used = blocksUsed();
        if (used >= 0) {
            info.put("blocksused", Long.toString(used));
        }
        long available = blocksAvailable();
        if (available >= 0) {
            info.put("blocksavail", Long.toString(available));
        }
        return Collections.unmodifiableMap(info);
    }

    /** Stops taking I/O, waits for every operation already accepted to finish, then closes the file. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        accepting.asWriteLock().lock();     // for good: waits for the calls under way, refuses all later ones
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(CLOSE_PROGRESS_SECONDS, TimeUnit.SECONDS)) {
                    break;
                }
                log.warn("block: {}: still waiting for {} queued I/O operations and {} I/O threads before closing",
                        store.path(), executor.queued(), executor.threads());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("block: closing {}: {}", store.path(), e.toString());
        }
        if (cached != null) {
            cached.close();
        }
        if (deallocator != null) {
            deallocator.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        log.info("block: {} closed", store.path());
    }
}

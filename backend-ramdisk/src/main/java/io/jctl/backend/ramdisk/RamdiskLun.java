package io.jctl.backend.ramdisk;

import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.CompletedFutures;
import io.jctl.core.backend.LbaStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One RAM disk LUN. Data lives in off-heap pages of a {@link PageTable}, allocated on first write from a pool of
 * its own; pages never written read as zeros. Pages are off the Java heap so that gigabytes of them are never
 * copied by the garbage collector (heap pages cost pauses of a second while a LUN fills). Every copy to or from a
 * page holds the page's monitor, so a page is never seen half written. Space is reserved for all missing pages of
 * a write before any byte is copied: a write that does not fit in {@code capacity} fails with NO_SPACE and changes
 * nothing. UNMAP frees whole pages and zeroes the covered part of partial ones; ANCHOR leaves whole pages
 * anchored (no memory, capacity kept). Operations run on the caller's thread and return completed futures.
 */
final class RamdiskLun implements BackendLun {
    private static final Logger log = LoggerFactory.getLogger(RamdiskLun.class);
    /**
     * Pages of every RAM disk. Long-lived pages get arenas apart from short-lived network buffers, and no thread
     * caches, so a freed page goes straight back to its arena.
     */
    /** GET LBA STATUS reports runs of at most this many blocks (its NUMBER OF LOGICAL BLOCKS field is 32-bit). */
    static final long MAX_STATUS_RUN = 0xffffffffL;
    private static final PooledByteBufAllocator PAGES = new PooledByteBufAllocator(true, 0,
            PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(),
            PooledByteBufAllocator.defaultMaxOrder(), 0, 0, false);

    private final int blockSize;
    private final int pageSize;
    private final int pageShift;
    private final long pageMask;
    private final long capacity;
    private final long capacityPages;
    private final boolean blackHole;
    private final boolean readOnly;
    private final PageTable table;
    private final AtomicLong usedPages = new AtomicLong();
    private volatile long blockCount;
    /** False when capacity covers every page of the LUN, so writes need no reservation. */
    private volatile boolean capacityLimited;
    private volatile boolean closed;
    private volatile boolean exhaustionLogged;

    RamdiskLun(int blockSize, long blockCount, int pageSize, long capacity, boolean readOnly) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageMask = pageSize - 1;
        this.capacity = capacity;
        this.capacityPages = capacity >>> pageShift;
        this.blackHole = capacity == 0;
        this.readOnly = readOnly;
        long pages = pagesFor(blockCount * blockSize);
        this.table = new PageTable(pages);
        this.capacityLimited = capacityPages < pages;
        if (capacity > PlatformDependent.maxDirectMemory()) {
            log.warn("ramdisk: capacity {} exceeds the JVM's direct memory limit of {} bytes; writes will fail with"
                    + " SPACE ALLOCATION FAILED before the capacity is used (raise -XX:MaxDirectMemorySize)",
                    capacity, PlatformDependent.maxDirectMemory());
        }
        log.info("ramdisk: {} blocks of {} bytes, {}, pages of {} bytes{}", blockCount, blockSize,
                blackHole ? "black hole (capacity 0)" : "capacity " + capacity + " bytes", pageSize,
                readOnly ? ", read-only" : "");
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

    /** Every operation is a memory copy (or nothing, for the black hole) on the caller's thread. */
    @Override
    public boolean completesInline() {
        return true;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks, ByteBufAllocator alloc) {
        long bytes = (long) blocks * blockSize;
        BackendIoException refused = check(lba, blocks, bytes);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        int length = (int) bytes;
        ByteBuf out = alloc.directBuffer(length, length);
        try {
            if (blackHole) {
                out.writeZero(length);
            } else {
                load(lba * blockSize, out, length);
            }
        } catch (RuntimeException e) {
            out.release();
            return CompletableFuture.failedFuture(new BackendIoException(BackendIoException.Kind.INTERNAL,
                    "ramdisk read failed: " + e, e));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        int length = data.readableBytes();
        BackendIoException refused = readOnly
                ? new BackendIoException(BackendIoException.Kind.READ_ONLY, "ramdisk is read-only")
                : length % blockSize != 0
                ? new BackendIoException(BackendIoException.Kind.INTERNAL,
                "write of " + length + " bytes is not a whole number of " + blockSize + "-byte blocks")
                : check(lba, length / blockSize, length);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (!blackHole) {
            try {
                store(lba * blockSize, data, data.readerIndex(), length);
            } catch (BackendIoException e) {
                return CompletableFuture.failedFuture(e);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(new BackendIoException(BackendIoException.Kind.INTERNAL,
                        "ramdisk write failed: " + e, e));
            }
        }
        return CompletedFutures.DONE;
    }

    /**
     * Any write is all-or-nothing: space for every page is reserved before the first byte is copied, and the
     * core keeps overlapping commands out while an atomic write runs. The one failure left mid-copy is the JVM
     * running out of direct memory, which only a capacity above its limit allows (warned about at creation).
     */
    @Override
    public long atomicWriteBlocks() {
        return Long.MAX_VALUE;
    }

    /** Every block of a RAM disk is in memory already. */
    @Override
    public CompletableFuture<Boolean> prefetch(long lba, long blocks) {
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return closed
                ? CompletableFuture.failedFuture(new BackendIoException(BackendIoException.Kind.NO_MEDIA,
                "ramdisk is closed"))
                : CompletedFutures.DONE;
    }

    /** The reason an I/O of {@code blocks} blocks ({@code bytes} bytes) at {@code lba} cannot run, or null. */
    private BackendIoException check(long lba, long blocks, long bytes) {
        if (closed) {
            return new BackendIoException(BackendIoException.Kind.NO_MEDIA, "ramdisk is closed");
        }
        return BackendIoException.outsideLun(lba, blocks, bytes, blockCount);
    }

    private void load(long pos, ByteBuf out, int length) {
        while (length > 0) {
            long pageIndex = pos >>> pageShift;
            PageTable.Node leaf = table.leaf(pageIndex, false);
            int slot = PageTable.slot(pageIndex);
            if (leaf == null) {
                // no page of this leaf was ever written: one run of zeros up to the leaf's end
                long toLeafEnd = ((long) (PageTable.FANOUT - slot) << pageShift) - (pos & pageMask);
                int n = (int) Math.min(length, toLeafEnd);
                out.writeZero(n);
                pos += n;
                length -= n;
                continue;
            }
            do {
                int offset = (int) (pos & pageMask);
                int n = Math.min(length, pageSize - offset);
                ByteBuf page = leaf.page(slot);
                if (page == null || page == PageTable.ANCHORED) {
                    out.writeZero(n);
                } else {
                    synchronized (page) {
                        if (page.refCnt() > 0) {
                            out.writeBytes(page, offset, n);
                        } else {
                            out.writeZero(n);   // freed (truncated) while we looked it up
                        }
                    }
                }
                pos += n;
                length -= n;
                slot++;
            } while (length > 0 && slot < PageTable.FANOUT);
        }
    }

    private void store(long pos, ByteBuf data, int index, int length) throws BackendIoException {
        long reserved = 0;
        if (capacityLimited) {
            reserved = missingPages(pos >>> pageShift, (pos + length - 1) >>> pageShift);
            if (!reserve(reserved)) {
                logExhaustion();
                throw new BackendIoException(BackendIoException.Kind.NO_SPACE, "ramdisk capacity of " + capacity
                        + " bytes exhausted (" + usedPages.get() + " pages in use, write needs " + reserved
                        + " more)");
            }
        }
        long created = 0;
        try {
            while (length > 0) {
                long pageIndex = pos >>> pageShift;
                PageTable.Node leaf = table.leaf(pageIndex, true);
                int slot = PageTable.slot(pageIndex);
                do {
                    int offset = (int) (pos & pageMask);
                    int n = Math.min(length, pageSize - offset);
                    if (copyInto(leaf, slot, data, index, offset, n)) {
                        created++;
                    }
                    pos += n;
                    index += n;
                    length -= n;
                    slot++;
                } while (length > 0 && slot < PageTable.FANOUT);
            }
        } finally {
            if (created != reserved) {
                usedPages.addAndGet(created - reserved);
            }
        }
    }

    /**
     * Copies {@code n} bytes of {@code data} to {@code offset} of the page in {@code leaf} at {@code slot}; returns
     * true when it had to create the page for an empty slot (an anchored page's capacity is already counted). A new
     * page is filled before it is published, so no reader sees it half written.
     */
    private boolean copyInto(PageTable.Node leaf, int slot, ByteBuf data, int index, int offset, int n)
            throws BackendIoException {
        while (true) {
            ByteBuf page = leaf.page(slot);
            if (page == null || page == PageTable.ANCHORED) {
                ByteBuf fresh = newPage();
                boolean published = false;
                try {
                    fresh.setZero(0, offset);
                    data.getBytes(index, fresh, offset, n);
                    fresh.setZero(offset + n, pageSize - offset - n);
                    published = leaf.compareAndSet(slot, page, fresh);
                } finally {
                    if (!published) {
                        fresh.release();
                    }
                }
                if (published) {
                    return page == null;
                }
                continue;
            }
            synchronized (page) {
                if (page.refCnt() > 0) {
                    data.getBytes(index, page, offset, n);
                    return false;
                }
            }
            // the page was freed under us; its slot is empty or holds a newer page now
        }
    }

    private ByteBuf newPage() throws BackendIoException {
        try {
            return PAGES.directBuffer(pageSize, pageSize);
        } catch (OutOfMemoryError e) {
            // Only the JVM's direct memory limit gets here (capacity is checked before); pages already copied by
            // this write stay, as when a disk fails mid-write.
            log.error("ramdisk: out of direct memory for pages ({}); raise -XX:MaxDirectMemorySize", e.getMessage());
            throw new BackendIoException(BackendIoException.Kind.NO_SPACE, "ramdisk: out of direct memory", e);
        }
    }

    /** Counts the pages in {@code [first, last]} that were never written. */
    private long missingPages(long first, long last) {
        long missing = 0;
        long pageIndex = first;
        while (pageIndex <= last) {
            long leafLast = Math.min(last, pageIndex | (PageTable.FANOUT - 1));
            PageTable.Node leaf = table.leaf(pageIndex, false);
            if (leaf == null) {
                missing += leafLast - pageIndex + 1;
            } else {
                for (long p = pageIndex; p <= leafLast; p++) {
                    if (leaf.page(PageTable.slot(p)) == null) {
                        missing++;
                    }
                }
            }
            pageIndex = leafLast + 1;
        }
        return missing;
    }

    private boolean reserve(long pages) {
        if (pages == 0) {
            return true;
        }
        while (true) {
            long used = usedPages.get();
            if (used + pages > capacityPages) {
                return false;
            }
            if (usedPages.compareAndSet(used, used + pages)) {
                return true;
            }
        }
    }

    private void logExhaustion() {
        if (!exhaustionLogged) {
            exhaustionLogged = true;
            log.warn("ramdisk: capacity of {} bytes exhausted; writes to new pages fail with SPACE ALLOCATION FAILED",
                    capacity);
        }
    }

    private long pagesFor(long bytes) {
        return (bytes + pageSize - 1) >>> pageShift;
    }

    @Override
    public synchronized void resize(long sizeBytes) throws BackendConfigException {
        long blocks = RamdiskBackend.blocksFor(sizeBytes, blockSize);
        long oldBlocks = blockCount;
        long newBytes = blocks * blockSize;
        long pages = pagesFor(newBytes);
        if (blocks >= oldBlocks) {
            table.grow(pages);
            capacityLimited = capacityPages < pages;
            blockCount = blocks;
        } else {
            // Publish the smaller size first, then free what lies beyond it so a later grow reads zeros there.
            blockCount = blocks;
            capacityLimited = capacityPages < pages;
            usedPages.addAndGet(-table.truncate(pages));
            zeroTail(newBytes);
        }
        log.info("ramdisk: resized from {} to {} blocks of {} bytes", oldBlocks, blocks, blockSize);
    }

    /** Zeroes the part of the page holding byte {@code end} that lies at or after {@code end}. */
    private void zeroTail(long end) {
        int offset = (int) (end & pageMask);
        if (offset == 0) {
            return;
        }
        long pageIndex = end >>> pageShift;
        PageTable.Node leaf = table.leaf(pageIndex, false);
        zeroPart(leaf, PageTable.slot(pageIndex), offset, pageSize - offset);
    }

    /** Zeroes {@code n} bytes from {@code offset} of the page at {@code slot} of {@code leaf}, if it holds memory. */
    private static void zeroPart(PageTable.Node leaf, int slot, int offset, int n) {
        ByteBuf page = leaf == null ? null : leaf.page(slot);
        if (page != null && page != PageTable.ANCHORED) {
            synchronized (page) {
                if (page.refCnt() > 0) {
                    page.setZero(offset, n);
                }
            }
        }
    }

    @Override
    public boolean canUnmap() {
        return !readOnly;
    }

    @Override
    public boolean unmapReadsZeros() {
        return true;
    }

    @Override
    public boolean canAnchor() {
        return !readOnly;
    }

    @Override
    public int unmapGranularity() {
        return Math.max(pageSize, blockSize);
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks, boolean anchor) {
        BackendIoException refused = readOnly
                ? new BackendIoException(BackendIoException.Kind.READ_ONLY, "ramdisk is read-only")
                : check(lba, blocks, 0);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (!blackHole && blocks > 0) {
            try {
                deallocate(lba * blockSize, (lba + blocks) * blockSize, anchor);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(new BackendIoException(BackendIoException.Kind.INTERNAL,
                        "ramdisk unmap failed: " + e, e));
            }
        }
        return CompletedFutures.DONE;
    }

    /**
     * Frees (or anchors) the whole pages of {@code [start, end)} and zeroes the covered part of the pages at its
     * edges. Leaves without pages are skipped whole, so unmapping a large empty range costs little.
     */
    private void deallocate(long start, long end, boolean anchor) {
        long pos = start;
        while (pos < end) {
            long pageIndex = pos >>> pageShift;
            int slot = PageTable.slot(pageIndex);
            int offset = (int) (pos & pageMask);
            int n = (int) Math.min(end - pos, pageSize - offset);
            PageTable.Node leaf = table.leaf(pageIndex, false);
            if (leaf == null) {
                if (!anchor || usedPages.get() >= capacityPages) {
                    // nothing stored in this leaf, and nothing to anchor in it: on to the next leaf
                    long nextLeaf = (pageIndex | (PageTable.FANOUT - 1)) + 1;
                    pos = Math.min(end, nextLeaf << pageShift);
                    continue;
                }
                if (n < pageSize) {
                    pos += n; // an edge of a page never written: already zeros
                    continue;
                }
                leaf = table.leaf(pageIndex, true);
            }
            if (n < pageSize) {
                zeroPart(leaf, slot, offset, n);
            } else if (anchor) {
                anchorPage(leaf, slot);
            } else {
                freePage(leaf, slot);
            }
            pos += n;
        }
    }

    private void freePage(PageTable.Node leaf, int slot) {
        ByteBuf old = (ByteBuf) leaf.getAndSet(slot, null);
        if (old == null) {
            return;
        }
        if (old != PageTable.ANCHORED) {
            synchronized (old) {
                old.release();
            }
        }
        usedPages.decrementAndGet();
    }

    /**
     * Anchors one page: its memory is freed but its capacity stays reserved. An empty slot needs a page of capacity;
     * when none is left it stays deallocated, as CTL's RAM disk does.
     */
    private void anchorPage(PageTable.Node leaf, int slot) {
        while (true) {
            ByteBuf old = leaf.page(slot);
            if (old == PageTable.ANCHORED) {
                return;
            }
            if (old == null) {
                if (!reserve(1)) {
                    return;
                }
                if (leaf.compareAndSet(slot, null, PageTable.ANCHORED)) {
                    return;
                }
                usedPages.decrementAndGet(); // a writer filled the slot first; anchor its page instead
                continue;
            }
            if (leaf.compareAndSet(slot, old, PageTable.ANCHORED)) {
                synchronized (old) {
                    old.release();
                }
                return;
            }
        }
    }

    /**
     * The status of the page holding {@code lba} and the run of blocks after it in the same state (at most
     * {@link #MAX_STATUS_RUN}). A black hole stores nothing and reports every block mapped, so that what was just
     * written never reads back as deallocated.
     */
    @Override
    public CompletableFuture<LbaStatus> lbaStatus(long lba) {
        BackendIoException refused = check(lba, 1, 0);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        long limit = Math.min(blockCount - lba, MAX_STATUS_RUN);
        if (blackHole) {
            return CompletableFuture.completedFuture(new LbaStatus(LbaStatus.State.MAPPED, limit));
        }
        long start = lba * blockSize;
        long end = start + limit * blockSize;
        long first = start >>> pageShift;
        long last = (end - 1) >>> pageShift;
        LbaStatus.State state = stateOf(first);
        long page = first + 1;
        while (page <= last) {
            PageTable.Node leaf = table.leaf(page, false);
            if (leaf == null) {
                if (state != LbaStatus.State.DEALLOCATED) {
                    break;
                }
                page = (page | (PageTable.FANOUT - 1)) + 1;
                continue;
            }
            if (stateOf(leaf.page(PageTable.slot(page))) != state) {
                break;
            }
            page++;
        }
        long runEnd = Math.min(end, page << pageShift);
        long blocks = Math.max(1, (runEnd - start) / blockSize);
        return CompletableFuture.completedFuture(new LbaStatus(state, blocks));
    }

    private LbaStatus.State stateOf(long pageIndex) {
        PageTable.Node leaf = table.leaf(pageIndex, false);
        return stateOf(leaf == null ? null : leaf.page(PageTable.slot(pageIndex)));
    }

    private static LbaStatus.State stateOf(ByteBuf page) {
        return page == null ? LbaStatus.State.DEALLOCATED
                : page == PageTable.ANCHORED ? LbaStatus.State.ANCHORED : LbaStatus.State.MAPPED;
    }

    @Override
    public long blocksUsed() {
        return (usedPages.get() << pageShift) / blockSize;
    }

    @Override
    public long blocksAvailable() {
        return (Math.max(0, capacityPages - usedPages.get()) << pageShift) / blockSize;
    }

    @Override
    public Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("capacity", Long.toString(capacity));
        info.put("pblocksize", Integer.toString(pageSize));
        info.put("used_bytes", Long.toString(usedPages.get() << pageShift));
        info.put("blocksused", Long.toString(blocksUsed()));
        info.put("blocksavail", Long.toString(blocksAvailable()));
        return Collections.unmodifiableMap(info);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        usedPages.addAndGet(-table.truncate(0));
        log.info("ramdisk: closed, memory released");
    }
}

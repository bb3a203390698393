package io.jctl.backend.ramdisk;

import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;

/**
 * The {@code ramdisk} backend: LUNs kept in memory in a sparse page table (ctl-facts §7.3).
 * Options: {@code capacity} (bytes of RAM the LUN may use; 0, the default, is CTL's "black hole" that discards
 * writes and reads zeros), {@code pblocksize} (page size, power of two 512..131072, default 4096) and
 * {@code readonly}.
 */
public final class RamdiskBackend implements Backend {
    static final int DEFAULT_PAGE_SIZE = 4096;
    static final int MIN_PAGE_SIZE = 512;
    static final int MAX_PAGE_SIZE = 128 * 1024;
    static final int MIN_BLOCK_SIZE = 512;
    static final int MAX_BLOCK_SIZE = 64 * 1024;

    public RamdiskBackend() {
    }

    @Override
    public String name() {
        return "ramdisk";
    }

    @Override
    public BackendLun open(LunSpec spec) throws BackendConfigException {
        int blockSize = spec.blockSize();
        if (!isPowerOfTwoIn(blockSize, MIN_BLOCK_SIZE, MAX_BLOCK_SIZE)) {
            throw new BackendConfigException("ramdisk: block size " + blockSize
                    + " is not a power of two from " + MIN_BLOCK_SIZE + " to " + MAX_BLOCK_SIZE);
        }
        long blocks = blocksFor(spec.sizeBytes(), blockSize);
        long pageSize = spec.sizeOption("pblocksize", DEFAULT_PAGE_SIZE);
        if (!isPowerOfTwoIn(pageSize, MIN_PAGE_SIZE, MAX_PAGE_SIZE)) {
            throw new BackendConfigException("ramdisk: pblocksize " + pageSize
                    + " is not a power of two from " + MIN_PAGE_SIZE + " to " + MAX_PAGE_SIZE);
        }
        long capacity = spec.sizeOption("capacity", 0);
        if (capacity < 0) {
            throw new BackendConfigException("ramdisk: capacity " + capacity + " is negative");
        }
        if (capacity > 0 && capacity < pageSize) {
            throw new BackendConfigException("ramdisk: capacity " + capacity
                    + " is smaller than one page (pblocksize " + pageSize + ")");
        }
        boolean readOnly = spec.flagOption("readonly", false);
        return new RamdiskLun(blockSize, blocks, (int) pageSize, capacity, readOnly);
    }

    /** Whole blocks in {@code sizeBytes} (a partial last block is dropped, as CTL does). */
    static long blocksFor(long sizeBytes, int blockSize) throws BackendConfigException {
        if (sizeBytes == LunSpec.SIZE_AUTO) {
            throw new BackendConfigException("ramdisk: a size is required (there is no backing store to take it from)");
        }
        if (sizeBytes < blockSize) {
            throw new BackendConfigException("ramdisk: size " + sizeBytes + " is smaller than one block ("
                    + blockSize + " bytes)");
        }
        return sizeBytes / blockSize;
    }

    private static boolean isPowerOfTwoIn(long value, long min, long max) {
        return value >= min && value <= max && Long.bitCount(value) == 1;
    }
}

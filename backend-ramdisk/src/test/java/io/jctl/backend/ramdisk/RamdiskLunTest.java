package io.jctl.backend.ramdisk;

import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RamdiskLunTest {
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;
    private final RamdiskBackend backend = new RamdiskBackend();

    private BackendLun open(long size, int blockSize, Map<String, String> options) throws BackendConfigException {
        return backend.open(new LunSpec(size, blockSize, options));
    }

    private static byte[] read(BackendLun lun, long lba, int blocks, ByteBufAllocator alloc) {
        ByteBuf buf = lun.read(lba, blocks, alloc).join();
        try {
            assertEquals(blocks * lun.blockSize(), buf.readableBytes());
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        } finally {
            assertTrue(buf.release(), "read buffer had other references");
        }
    }

    private static byte[] read(BackendLun lun, long lba, int blocks) {
        return read(lun, lba, blocks, POOLED);
    }

    /** Writes through a pooled direct buffer, the way received iSCSI data arrives. */
    private static CompletableFuture<Void> write(BackendLun lun, long lba, byte[] data) {
        ByteBuf buf = POOLED.directBuffer(data.length);
        buf.writeBytes(data);
        try {
            return lun.write(lba, buf, false);
        } finally {
            assertTrue(buf.release());
        }
    }

    private static BackendIoException.Kind failure(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        return assertInstanceOf(BackendIoException.class, e.getCause()).kind();
    }

    private static byte[] random(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long used(BackendLun lun) {
        return Long.parseLong(lun.info().get("used_bytes"));
    }

    @ParameterizedTest(name = "block {0}, page {1}")
    @CsvSource({"512, 512", "512, 4096", "4096, 4096", "512, 131072", "4096, 512", "65536, 4096"})
    void randomWritesMatchAModel(int blockSize, int pageSize) throws Exception {
        int size = 1 << 20;
        try (BackendLun lun = open(size, blockSize, Map.of("capacity", "1g", "pblocksize", Integer.toString(pageSize)))) {
            assertEquals(size / blockSize, lun.blockCount());
            byte[] model = new byte[size];
            Random random = new Random(blockSize * 31L + pageSize);
            int blocksTotal = size / blockSize;
            int maxBlocks = Math.max(1, (64 << 10) / blockSize);
            for (int i = 0; i < 60; i++) {
                int blocks = 1 + random.nextInt(maxBlocks);
                long lba = random.nextInt(blocksTotal - blocks + 1);
                byte[] data = random(random, blocks * blockSize);
                write(lun, lba, data).join();
                System.arraycopy(data, 0, model, (int) lba * blockSize, data.length);
            }
            for (int i = 0; i < 30; i++) {
                int blocks = 1 + random.nextInt(2 * maxBlocks);
                long lba = random.nextInt(blocksTotal - blocks + 1);
                int from = (int) lba * blockSize;
                assertArrayEquals(Arrays.copyOfRange(model, from, from + blocks * blockSize), read(lun, lba, blocks),
                        "read of " + blocks + " blocks at " + lba);
            }
            assertArrayEquals(model, read(lun, 0, blocksTotal), "whole LUN");
        }
    }

    @Test
    void writeAcrossLeavesAndHeapOrCompositeSources() throws Exception {
        // 512-byte pages: a leaf covers 512 pages (256 KiB); write 1 MiB straddling leaf boundaries
        try (BackendLun lun = open(16 << 20, 512, Map.of("capacity", "16m", "pblocksize", "512"))) {
            Random random = new Random(7);
            byte[] data = random(random, 1 << 20);
            CompositeByteBuf composite = Unpooled.compositeBuffer();
            composite.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(data, 0, 1000 * 512)));
            composite.addComponent(true, POOLED.directBuffer().writeBytes(data, 1000 * 512, data.length - 1000 * 512));
            composite.readerIndex(0);
            lun.write(300, composite, false).join();
            assertTrue(composite.release());
            assertArrayEquals(data, read(lun, 300, 2048, UnpooledByteBufAllocator.DEFAULT));
            assertEquals(1 << 20, used(lun));
        }
    }

    @Test
    void writeHonoursReaderIndex() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1m"))) {
            byte[] data = random(new Random(3), 1024);
            ByteBuf buf = Unpooled.buffer();
            buf.writeBytes(new byte[]{9, 9, 9});
            buf.writeBytes(data);
            buf.readerIndex(3);
            lun.write(10, buf, false).join();
            assertEquals(3, buf.readerIndex(), "the caller's buffer is not consumed");
            assertTrue(buf.release());
            assertArrayEquals(data, read(lun, 10, 2));
        }
    }

    @Test
    void unwrittenRangesReadAsZeros() throws Exception {
        try (BackendLun lun = open(64 << 20, 4096, Map.of("capacity", "64m"))) {
            byte[] data = random(new Random(1), 4096);
            write(lun, 100, data).join();
            assertArrayEquals(new byte[99 * 4096], read(lun, 0, 99));
            byte[] around = read(lun, 99, 3);
            assertArrayEquals(new byte[4096], Arrays.copyOfRange(around, 0, 4096));
            assertArrayEquals(data, Arrays.copyOfRange(around, 4096, 8192));
            assertArrayEquals(new byte[4096], Arrays.copyOfRange(around, 8192, 12288));
            assertArrayEquals(new byte[256 * 4096], read(lun, lun.blockCount() - 256, 256));
            assertEquals(4096, used(lun));
        }
    }

    @ParameterizedTest(name = "page {0}")
    @CsvSource({"512", "4096"})
    void readsStartingInsideAnUnwrittenLeafReachIntoWrittenOnes(int pageSize) throws Exception {
        try (BackendLun lun = open(16 << 20, 512, Map.of("capacity", "16m", "pblocksize", Integer.toString(pageSize)))) {
            long blocksPerLeaf = (long) PageTable.FANOUT * pageSize / 512;
            long lba = blocksPerLeaf + 7;                         // in the second leaf
            byte[] data = random(new Random(pageSize), 3 * 512);
            write(lun, lba, data).join();
            int blocks = (int) (lba - 3 + 20);
            byte[] got = read(lun, 3, blocks);                    // starts mid-page in the empty first leaf
            byte[] expected = new byte[blocks * 512];
            System.arraycopy(data, 0, expected, (int) (lba - 3) * 512, data.length);
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void blackHoleDiscardsWritesAndAllocatesNothing() throws Exception {
        try (BackendLun lun = open(1L << 40, 512, Map.of())) {
            assertEquals("0", lun.info().get("capacity"));
            byte[] data = random(new Random(2), 8192);
            write(lun, 12345, data).join();
            write(lun, lun.blockCount() - 16, data).join();
            assertArrayEquals(new byte[8192], read(lun, 12345, 16));
            assertEquals(0, used(lun));
        }
    }

    @Test
    void exhaustedCapacityFailsWholeWritesWithNoSpace() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "16k", "pblocksize", "4k"))) {
            Random random = new Random(4);
            byte[] first = random(random, 3 * 4096);
            write(lun, 0, first).join();                     // pages 0..2
            assertEquals(3 * 4096, used(lun));

            byte[] spanning = random(random, 3 * 4096);      // pages 2..4: page 2 exists, 3 and 4 do not fit
            assertEquals(BackendIoException.Kind.NO_SPACE, failure(write(lun, 16, spanning)));
            assertArrayEquals(first, read(lun, 0, 24), "a refused write changes nothing");
            assertArrayEquals(new byte[2 * 4096], read(lun, 24, 16));
            assertEquals(3 * 4096, used(lun));

            byte[] last = random(random, 512);
            write(lun, 100, last).join();                    // page 12: the fourth and last page
            assertEquals(16 * 1024, used(lun));
            assertEquals(BackendIoException.Kind.NO_SPACE, failure(write(lun, 200, last)));

            byte[] rewrite = random(random, 4 * 4096);       // allocated pages can still be overwritten
            write(lun, 0, Arrays.copyOf(rewrite, 3 * 4096)).join();
            write(lun, 96, Arrays.copyOfRange(rewrite, 3 * 4096, 4 * 4096)).join();
            assertArrayEquals(Arrays.copyOf(rewrite, 3 * 4096), read(lun, 0, 24));
            assertArrayEquals(Arrays.copyOfRange(rewrite, 3 * 4096, 4 * 4096), read(lun, 96, 8));
        }
    }

    @ParameterizedTest(name = "block size {0}")
    @CsvSource({"512", "4096"})
    void blockSizes(int blockSize) throws Exception {
        try (BackendLun lun = open(10L * blockSize + 100, blockSize, Map.of("capacity", "1m"))) {
            assertEquals(blockSize, lun.blockSize());
            assertEquals(10, lun.blockCount(), "a partial last block is dropped");
            byte[] data = random(new Random(blockSize), blockSize);
            write(lun, 9, data).join();
            assertArrayEquals(data, read(lun, 9, 1));
            assertEquals(BackendIoException.Kind.INTERNAL, failure(write(lun, 10, data)), "past the end");
            assertEquals(BackendIoException.Kind.INTERNAL, failure(lun.read(10, 1, POOLED)), "past the end");
        }
    }

    @Test
    void partialBlockWriteIsRefused() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1m"))) {
            assertEquals(BackendIoException.Kind.INTERNAL, failure(write(lun, 0, new byte[700])));
            assertEquals(0, used(lun));
        }
    }

    @Test
    void concurrentWritersToDifferentPages() throws Exception {
        int threads = 8;
        int pagesPerThread = 64;
        try (BackendLun lun = open(threads * pagesPerThread * 4096L, 4096, Map.of("capacity", "2m"))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int round = 0; round < 5; round++) {
                            for (int p = 0; p < pagesPerThread; p++) {
                                byte[] page = new byte[4096];
                                Arrays.fill(page, (byte) (thread * 16 + round));
                                write(lun, (long) p * threads + thread, page).join();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdown();
            }
            byte[] all = read(lun, 0, threads * pagesPerThread);
            for (int block = 0; block < threads * pagesPerThread; block++) {
                byte expected = (byte) ((block % threads) * 16 + 4);
                for (int i = 0; i < 4096; i++) {
                    assertEquals(expected, all[block * 4096 + i], "block " + block + " byte " + i);
                }
            }
            assertEquals(2L << 20, used(lun));
        }
    }

    @Test
    void writesToOnePageNeverTearForReaders() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1m", "pblocksize", "64k"))) {
            byte[] ones = new byte[65536];
            byte[] twos = new byte[65536];
            Arrays.fill(ones, (byte) 1);
            Arrays.fill(twos, (byte) 2);
            write(lun, 0, ones).join();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> writer = pool.submit(() -> {
                    for (int i = 0; i < 2000 && !stop.get(); i++) {
                        write(lun, 0, (i & 1) == 0 ? twos : ones).join();
                    }
                    return null;
                });
                Future<?> reader = pool.submit(() -> {
                    try {
                        while (!writer.isDone()) {
                            byte[] page = read(lun, 0, 128);
                            byte first = page[0];
                            for (byte b : page) {
                                if (b != first) {
                                    throw new AssertionError("torn page: saw " + first + " and " + b);
                                }
                            }
                        }
                    } finally {
                        stop.set(true);
                    }
                    return null;
                });
                writer.get(30, TimeUnit.SECONDS);
                reader.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void resizeGrowsTheTableAndShrinkFreesPages() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1t", "pblocksize", "512"))) {
            byte[] data = random(new Random(5), 2048);
            write(lun, 2044, data).join();                           // last 4 blocks
            lun.resize(1L << 40);                                     // 2^31 pages: 4 levels instead of 2
            assertEquals((1L << 40) / 512, lun.blockCount());
            write(lun, lun.blockCount() - 4, data).join();
            assertArrayEquals(data, read(lun, lun.blockCount() - 4, 4));
            assertArrayEquals(data, read(lun, 2044, 4), "data written before growing survives");
            assertEquals(4096, used(lun));

            lun.resize(1 << 20);
            assertEquals(2048, lun.blockCount());
            assertEquals(2048, used(lun), "pages beyond the new end are freed");
            lun.resize(1L << 40);
            assertArrayEquals(new byte[2048], read(lun, lun.blockCount() - 4, 4), "regrown space reads zeros");
            assertArrayEquals(data, read(lun, 2044, 4));
        }
    }

    @Test
    void shrinkInsideAPageZeroesItsTail() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1m", "pblocksize", "64k"))) {
            byte[] data = random(new Random(6), 65536);
            write(lun, 0, data).join();
            lun.resize(10 * 512);
            assertEquals(10, lun.blockCount());
            lun.resize(1 << 20);
            byte[] page = read(lun, 0, 128);
            assertArrayEquals(Arrays.copyOf(data, 5120), Arrays.copyOf(page, 5120));
            assertArrayEquals(new byte[65536 - 5120], Arrays.copyOfRange(page, 5120, 65536));
        }
    }

    @Test
    void resizeNeedsASize() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of())) {
            assertThrows(BackendConfigException.class, () -> lun.resize(LunSpec.SIZE_AUTO));
            assertThrows(BackendConfigException.class, () -> lun.resize(100));
            assertEquals(2048, lun.blockCount());
        }
    }

    @Test
    void readonlyRefusesWrites() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1m", "readonly", "on"))) {
            assertTrue(lun.readOnly());
            assertEquals(BackendIoException.Kind.READ_ONLY, failure(write(lun, 0, new byte[512])));
            assertArrayEquals(new byte[512], read(lun, 0, 1));
            assertEquals(0, used(lun));
        }
    }

    @Test
    void closedLunHasNoMedia() throws Exception {
        BackendLun lun = open(1 << 20, 512, Map.of("capacity", "1m"));
        write(lun, 0, new byte[4096]).join();
        lun.close();
        assertEquals(0, used(lun));
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(lun.read(0, 1, POOLED)));
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(write(lun, 0, new byte[512])));
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(lun.flush()));
        lun.close();
    }

    @Test
    void infoReportsCapacityPageSizeAndUse() throws Exception {
        try (BackendLun lun = open(1 << 20, 512, Map.of("capacity", "256k", "pblocksize", "8k"))) {
            write(lun, 0, new byte[512]).join();
            assertEquals(Map.of("capacity", "262144", "pblocksize", "8192", "used_bytes", "8192", "blocksused", "16",
                    "blocksavail", "496"), lun.info());
            lun.flush().join();
        }
    }

    @Test
    void badSpecsAreRefusedWithAReason() {
        assertEquals("ramdisk: a size is required (there is no backing store to take it from)",
                assertThrows(BackendConfigException.class, () -> open(LunSpec.SIZE_AUTO, 512, Map.of())).getMessage());
        assertEquals("ramdisk: size 100 is smaller than one block (512 bytes)",
                assertThrows(BackendConfigException.class, () -> open(100, 512, Map.of())).getMessage());
        assertEquals("ramdisk: block size 520 is not a power of two from 512 to 65536",
                assertThrows(BackendConfigException.class, () -> open(1 << 20, 520, Map.of())).getMessage());
        assertEquals("ramdisk: block size 131072 is not a power of two from 512 to 65536",
                assertThrows(BackendConfigException.class, () -> open(1 << 20, 131072, Map.of())).getMessage());
        assertEquals("ramdisk: pblocksize 256 is not a power of two from 512 to 131072",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, Map.of("pblocksize", "256"))).getMessage());
        assertEquals("ramdisk: pblocksize 262144 is not a power of two from 512 to 131072",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, Map.of("pblocksize", "256k"))).getMessage());
        assertEquals("ramdisk: capacity 1000 is smaller than one page (pblocksize 4096)",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, Map.of("capacity", "1000"))).getMessage());
        assertEquals("option capacity: not a size: 'much'",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, Map.of("capacity", "much"))).getMessage());
        assertEquals("option readonly must be on or off, not 'perhaps'",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, Map.of("readonly", "perhaps"))).getMessage());
        assertFalse(backend.name().isEmpty());
        assertEquals("ramdisk", backend.name());
    }
}

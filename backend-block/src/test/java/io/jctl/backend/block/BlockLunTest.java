package io.jctl.backend.block;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockLunTest {
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    @TempDir
    Path dir;

    private final AtomicReference<ScriptedChannel> channel = new AtomicReference<>();
    /** A backend whose channels are scripted real channels, so tests can shape and observe the I/O. */
    private final BlockBackend scripted = new BlockBackend((path, writable) -> {
        ScriptedChannel ch = new ScriptedChannel(ChannelOpener.FILES.open(path, writable));
        channel.set(ch);
        return ch;
    });

    private Path file(String name, long size) throws IOException {
        Path path = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(size);
        }
        return path;
    }

    private static Map<String, String> options(Path file, String... more) {
        Map<String, String> options = new HashMap<>();
        options.put("file", file.toString());
        options.put("num_threads", "4");
        for (int i = 0; i < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        return options;
    }

    private static BackendLun open(long size, int blockSize, Map<String, String> options)
            throws BackendConfigException {
        return new BlockBackend().open(new LunSpec(size, blockSize, options));
    }

    private BackendLun openScripted(long size, int blockSize, Map<String, String> options)
            throws BackendConfigException {
        return scripted.open(new LunSpec(size, blockSize, options));
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

    /** Writes through a pooled direct buffer, released once the write completed, as the core does. */
    private static CompletableFuture<Void> write(BackendLun lun, long lba, byte[] data, boolean fua) {
        ByteBuf buf = POOLED.directBuffer(data.length);
        buf.writeBytes(data);
        return lun.write(lba, buf, fua).whenComplete((v, e) -> assertTrue(buf.release()));
    }

    private static CompletableFuture<Void> write(BackendLun lun, long lba, byte[] data) {
        return write(lun, lba, data, false);
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

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest(name = "block size {0}")
    @ValueSource(ints = {512, 4096})
    void randomWritesMatchAModelAndTheFile(int blockSize) throws Exception {
        int size = 4 << 20;
        Path path = file("disk", size);
        byte[] model = new byte[size];
        Random random = new Random(blockSize);
        int blocksTotal = size / blockSize;
        int maxBlocks = (256 << 10) / blockSize;
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, blockSize, options(path))) {
            assertEquals(blocksTotal, lun.blockCount());
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int blocks = 1 + random.nextInt(maxBlocks);
                long lba = random.nextInt(blocksTotal - blocks + 1);
                byte[] data = random(random, blocks * blockSize);
                write(lun, lba, data).join();
                System.arraycopy(data, 0, model, (int) lba * blockSize, data.length);
            }
            for (int i = 0; i < 50; i++) {
                int blocks = 1 + random.nextInt(4 * maxBlocks);
                long lba = random.nextInt(blocksTotal - blocks + 1);
                int from = (int) lba * blockSize;
                byte[] got = read(lun, lba, blocks, i % 2 == 0 ? POOLED : UnpooledByteBufAllocator.DEFAULT);
                assertArrayEquals(Arrays.copyOfRange(model, from, from + blocks * blockSize), got,
                        "read of " + blocks + " blocks at " + lba);
            }
        }
        assertArrayEquals(model, Files.readAllBytes(path));
    }

    @Test
    void unwrittenRangesOfASparseFileReadAsZeros() throws Exception {
        Path path = file("sparse", 64 << 20);
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 512, options(path))) {
            byte[] data = random(new Random(1), 512);
            write(lun, 5000, data).join();
            assertArrayEquals(new byte[512 * 100], read(lun, 4900, 100));
            assertArrayEquals(data, read(lun, 5000, 1));
            assertArrayEquals(new byte[512 * 8], read(lun, lun.blockCount() - 8, 8));
        }
    }

    @Test
    void readsPastTheEndOfAShortenedFileAreZeros() throws Exception {
        Path path = file("shrinks", 1 << 20);
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 512, options(path))) {
            byte[] data = random(new Random(2), 2048);
            write(lun, 0, data).join();
            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                raf.setLength(1000);                     // cut behind the LUN's back
            }
            byte[] got = read(lun, 0, 4);
            assertArrayEquals(Arrays.copyOf(data, 1000), Arrays.copyOf(got, 1000));
            assertArrayEquals(new byte[1048], Arrays.copyOfRange(got, 1000, 2048));
        }
    }

    @Test
    void sizeAutoTakesWholeBlocksOfTheFile() throws Exception {
        Path path = file("odd", (1 << 20) + 100);
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 4096, options(path))) {
            assertEquals(256, lun.blockCount());
            assertEquals(4096, lun.blockSize());
            assertFalse(lun.readOnly());
            Map<String, String> info = new HashMap<>(lun.info());
            info.remove("blocksused"); // thin: the file system's figures
            info.remove("blocksavail");
            assertEquals(Map.of("file", path.toRealPath().toString(), "num_threads", "4", "readonly", "off"), info);
        }
    }

    @Test
    void sizeAutoOnAnEmptyFileIsRefused() throws Exception {
        Path path = file("empty", 0);
        BackendConfigException e = assertThrows(BackendConfigException.class,
                () -> open(LunSpec.SIZE_AUTO, 512, options(path)));
        assertEquals("block: " + path.toRealPath() + " holds 0 bytes, less than one block of 512; give a size",
                e.getMessage());
    }

    @Test
    void aLargerSizeExtendsTheFileKeepingItsData() throws Exception {
        Path path = file("grow", 0);
        Files.write(path, new byte[]{1, 2, 3});
        try (BackendLun lun = open(1L << 30, 512, options(path))) {
            assertEquals((1L << 30) / 512, lun.blockCount());
            assertEquals(1L << 30, Files.size(path));
            byte[] first = read(lun, 0, 1);
            assertArrayEquals(new byte[]{1, 2, 3, 0}, Arrays.copyOf(first, 4));
            assertArrayEquals(new byte[4096], read(lun, lun.blockCount() - 8, 8));
        }
    }

    @Test
    void aSmallerSizeLeavesTheFileAlone() throws Exception {
        Path path = file("big", 8 << 20);
        try (BackendLun lun = open(1 << 20, 512, options(path))) {
            assertEquals(2048, lun.blockCount());
        }
        assertEquals(8 << 20, Files.size(path));
    }

    @Test
    void readonlyOptionRefusesWrites() throws Exception {
        Path path = file("ro", 1 << 20);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.write(42);
        }
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 512, options(path, "readonly", "on"))) {
            assertTrue(lun.readOnly());
            assertEquals("on", lun.info().get("readonly"));
            assertEquals(BackendIoException.Kind.READ_ONLY, failure(write(lun, 0, new byte[512])));
            assertEquals(42, read(lun, 0, 1)[0]);
            lun.flush().join();
        }
        assertEquals(42, Files.readAllBytes(path)[0]);
        BackendConfigException e = assertThrows(BackendConfigException.class,
                () -> open(2 << 20, 512, options(path, "readonly", "on")));
        assertTrue(e.getMessage().endsWith("and is read-only so it cannot grow"), e.getMessage());
    }

    @Test
    void fileThatCannotBeOpenedForWritingIsServedReadOnly() throws Exception {
        Path path = file("denied", 1 << 20);
        for (IOException refusal : List.of(new AccessDeniedException(path.toString()),
                new FileSystemException(path.toString(), null, "Read-only file system"))) {
            BlockBackend backend = new BlockBackend((p, writable) -> {
                if (writable) {
                    throw refusal;
                }
                return ChannelOpener.FILES.open(p, false);
            });
            try (BackendLun lun = backend.open(new LunSpec(LunSpec.SIZE_AUTO, 512, options(path)))) {
                assertTrue(lun.readOnly(), refusal.toString());
                assertEquals("on", lun.info().get("readonly"));
                assertEquals(BackendIoException.Kind.READ_ONLY, failure(write(lun, 0, new byte[512])));
            }
        }
    }

    @Test
    void otherOpenFailuresAreConfigErrors() throws Exception {
        Path path = file("busy", 1 << 20);
        BlockBackend backend = new BlockBackend((p, writable) -> {
            throw new FileSystemException(p.toString(), null, "Too many open files");
        });
        BackendConfigException e = assertThrows(BackendConfigException.class,
                () -> backend.open(new LunSpec(LunSpec.SIZE_AUTO, 512, options(path))));
        assertEquals("block: cannot open " + path.toRealPath() + ": Too many open files", e.getMessage());
    }

    @Test
    void shortWritesAreCarriedOnUntilEveryByteIsWritten() throws Exception {
        Path path = file("short", 1 << 20);
        try (BackendLun lun = openScripted(LunSpec.SIZE_AUTO, 512, options(path))) {
            channel.get().maxBytesPerWrite = 1000;
            Random random = new Random(3);
            byte[] head = random(random, 3 * 512);
            byte[] tail = random(random, 61 * 512);
            CompositeByteBuf data = Unpooled.compositeBuffer();
            data.addComponent(true, Unpooled.wrappedBuffer(head));
            data.addComponent(true, POOLED.directBuffer().writeBytes(tail));
            lun.write(100, data, false).join();
            assertTrue(data.release());
            byte[] expected = new byte[64 * 512];
            System.arraycopy(head, 0, expected, 0, head.length);
            System.arraycopy(tail, 0, expected, head.length, tail.length);
            assertArrayEquals(expected, read(lun, 100, 64));
            assertTrue(channel.get().events.size() >= 33, "writes were split: " + channel.get().events.size());
        }
    }

    @Test
    void fuaForcesAfterTheDataAndFlushForces() throws Exception {
        Path path = file("fua", 1 << 20);
        try (BackendLun lun = openScripted(LunSpec.SIZE_AUTO, 512, options(path))) {
            List<String> events = channel.get().events;
            write(lun, 0, new byte[1024]).join();
            assertEquals(List.of("write 0 1024"), events);
            write(lun, 8, new byte[512], true).join();
            assertEquals(List.of("write 0 1024", "write 4096 512", "force"), events);
            lun.flush().join();
            assertEquals("force", events.get(events.size() - 1));
            assertEquals(4, events.size());
        }
    }

    @Test
    void ioErrorsBecomeBackendErrorKinds() throws Exception {
        Path path = file("errors", 1 << 20);
        try (BackendLun lun = openScripted(LunSpec.SIZE_AUTO, 512, options(path))) {
            ScriptedChannel ch = channel.get();
            ch.writeFailure = new IOException("No space left on device");
            assertEquals(BackendIoException.Kind.NO_SPACE, failure(write(lun, 0, new byte[512])));
            ch.writeFailure = new FileSystemException(path.toString(), null, "Read-only file system");
            assertEquals(BackendIoException.Kind.READ_ONLY, failure(write(lun, 0, new byte[512])));
            ch.writeFailure = new IOException("Input/output error");
            assertEquals(BackendIoException.Kind.MEDIUM_ERROR, failure(write(lun, 0, new byte[512])));
            ch.readFailure = new IOException("Input/output error");
            assertEquals(BackendIoException.Kind.MEDIUM_ERROR, failure(lun.read(0, 1, POOLED)));
            ch.writeFailure = null;
            ch.readFailure = null;
            write(lun, 0, new byte[512]).join();
            assertArrayEquals(new byte[512], read(lun, 0, 1));
        }
    }

    @Test
    void aChannelClosedUnderneathMeansNoMedia() throws Exception {
        Path path = file("yanked", 1 << 20);
        try (BackendLun lun = openScripted(LunSpec.SIZE_AUTO, 512, options(path))) {
            channel.get().close();
            assertEquals(BackendIoException.Kind.NO_MEDIA, failure(lun.read(0, 1, POOLED)));
            assertEquals(BackendIoException.Kind.NO_MEDIA, failure(write(lun, 0, new byte[512])));
        }
    }

    @Test
    void closeWaitsForTheWriteInFlight() throws Exception {
        Path path = file("inflight", 1 << 20);
        BackendLun lun = openScripted(LunSpec.SIZE_AUTO, 512, options(path));
        ScriptedChannel ch = channel.get();
        CountDownLatch gate = new CountDownLatch(1);
        ch.writeGate = gate;
        byte[] data = random(new Random(4), 4096);
        CompletableFuture<Void> inFlight = write(lun, 16, data);
        assertTrue(ch.writeEntered.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(lun::close, "closer");
        closer.start();
        awaitCondition(() -> closer.getState() == Thread.State.TIMED_WAITING, "close waits");
        assertFalse(inFlight.isDone());
        assertTrue(ch.isOpen(), "the file stays open while I/O is in flight");
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(lun.read(0, 1, POOLED)), "no new I/O once closing");
        gate.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(closer.isAlive());
        inFlight.join();
        assertFalse(ch.isOpen());
        assertArrayEquals(data, Arrays.copyOfRange(Files.readAllBytes(path), 16 * 512, 16 * 512 + 4096));
    }

    @Test
    void closeCompletesEveryQueuedWriteThenRefusesIo() throws Exception {
        Path path = file("queued", 1 << 20);
        BackendLun lun = open(LunSpec.SIZE_AUTO, 512, options(path));
        byte[] model = new byte[1 << 20];
        Random random = new Random(5);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = random(random, 4096);
            System.arraycopy(data, 0, model, (i % 256) * 4096, 4096);
            writes.add(write(lun, (i % 256) * 8L, data));
        }
        lun.close();
        for (CompletableFuture<Void> w : writes) {
            assertTrue(w.isDone(), "close returned before a write completed");
            w.join();
        }
        assertArrayEquals(model, Files.readAllBytes(path));
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(lun.read(0, 1, POOLED)));
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(write(lun, 0, new byte[512])));
        assertEquals(BackendIoException.Kind.NO_MEDIA, failure(lun.flush()));
        assertThrows(BackendConfigException.class, () -> lun.resize(LunSpec.SIZE_AUTO));
        lun.close();
    }

    @Test
    void concurrentWritersToDifferentBlocks() throws Exception {
        int threads = 8;
        int blocksPerThread = 32;
        Path path = file("concurrent", threads * blocksPerThread * 4096L);
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 4096, options(path))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int round = 0; round < 5; round++) {
                            for (int b = 0; b < blocksPerThread; b++) {
                                byte[] block = new byte[4096];
                                Arrays.fill(block, (byte) (thread * 16 + round));
                                write(lun, (long) b * threads + thread, block).join();
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
            byte[] all = read(lun, 0, threads * blocksPerThread);
            for (int block = 0; block < threads * blocksPerThread; block++) {
                byte expected = (byte) ((block % threads) * 16 + 4);
                for (int i = 0; i < 4096; i++) {
                    assertEquals(expected, all[block * 4096 + i], "block " + block + " byte " + i);
                }
            }
        }
    }

    @Test
    void resizeGrowsTheFileRereadsItAndShrinksWithoutTruncating() throws Exception {
        Path path = file("resize", 1 << 20);
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 512, options(path))) {
            lun.resize(4 << 20);
            assertEquals(8192, lun.blockCount());
            assertEquals(4 << 20, Files.size(path));
            byte[] data = random(new Random(6), 512);
            write(lun, 8191, data).join();
            assertArrayEquals(data, read(lun, 8191, 1));

            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                raf.setLength(6 << 20);                  // grown by someone else
            }
            lun.resize(LunSpec.SIZE_AUTO);
            assertEquals(12288, lun.blockCount());

            lun.resize(1 << 20);
            assertEquals(2048, lun.blockCount());
            assertEquals(6 << 20, Files.size(path), "shrinking a LUN never truncates its file");
            assertEquals(BackendIoException.Kind.INTERNAL, failure(lun.read(2048, 1, POOLED)), "past the end");
            assertThrows(BackendConfigException.class, () -> lun.resize(100));
            assertEquals(2048, lun.blockCount());
        }
    }

    @Test
    void ioThreadsAreDaemonsNamedAfterTheFile() throws Exception {
        Path path = file("named.img", 1 << 20);
        try (BackendLun lun = openScripted(LunSpec.SIZE_AUTO, 512, options(path))) {
            write(lun, 0, new byte[512]).join();
            read(lun, 0, 1);
            assertFalse(channel.get().ioThreads.isEmpty());
            for (Thread t : channel.get().ioThreads) {
                assertTrue(t.getName().startsWith("block-named.img-"), t.getName());
                assertTrue(t.isDaemon(), t.getName());
            }
        }
    }

    @Test
    void badSpecsAreRefusedWithAReason() throws Exception {
        Path path = file("spec", 1 << 20);
        assertEquals("block: option file is required (a regular file or block device)",
                assertThrows(BackendConfigException.class, () -> open(1 << 20, 512, Map.of())).getMessage());
        Path missing = dir.resolve("missing");
        assertEquals("block: " + missing + " does not exist",
                assertThrows(BackendConfigException.class, () -> open(1 << 20, 512, options(missing))).getMessage());
        assertEquals("block: " + dir + " is a directory",
                assertThrows(BackendConfigException.class, () -> open(1 << 20, 512, options(dir))).getMessage());
        assertEquals("block: /dev/null is a character device; only regular files and block devices can back a LUN",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, options(Path.of("/dev/null")))).getMessage());
        assertEquals("block: block size 1000 is not a power of two from 512 to 65536",
                assertThrows(BackendConfigException.class, () -> open(1 << 20, 1000, options(path))).getMessage());
        assertEquals("block: num_threads 0 is not from 1 to 256",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, options(path, "num_threads", "0"))).getMessage());
        assertEquals("block: num_threads 1024 is not from 1 to 256",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, options(path, "num_threads", "1k"))).getMessage());
        assertEquals("option readonly must be on or off, not 'sometimes'",
                assertThrows(BackendConfigException.class,
                        () -> open(1 << 20, 512, options(path, "readonly", "sometimes"))).getMessage());
        assertEquals("block: size 100 is smaller than one block (512 bytes)",
                assertThrows(BackendConfigException.class, () -> open(100, 512, options(path))).getMessage());
        assertEquals("block", new BlockBackend().name());
    }

    @Test
    void defaultThreadCountIsCtls() throws Exception {
        Path path = file("default", 1 << 20);
        Map<String, String> options = options(path);
        options.remove("num_threads");
        try (BackendLun lun = open(LunSpec.SIZE_AUTO, 512, options)) {
            assertEquals("32", lun.info().get("num_threads"));
        }
    }
}

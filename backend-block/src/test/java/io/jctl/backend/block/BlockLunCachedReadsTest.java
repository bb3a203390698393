package io.jctl.backend.block;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads served from the page cache on the caller's thread ({@link CachedReads}), and the I/O threads taking over
 * what is not in memory: through the real {@code preadv2(RWF_NOWAIT)} where it can be called, and through scripted
 * readers for the cases the kernel does not produce on demand.
 */
class BlockLunCachedReadsTest {
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    private final AtomicReference<ScriptedChannel> channel = new AtomicReference<>();

    private BackendLun open(Path path, CachedReads.Opener reads) throws Exception {
        BlockBackend backend = new BlockBackend((p, writable) -> {
            ScriptedChannel ch = new ScriptedChannel(ChannelOpener.FILES.open(p, writable));
            channel.set(ch);
            return ch;
        }, reads);
        return backend.open(new LunSpec(LunSpec.SIZE_AUTO, 512, Map.of("file", path.toString(), "num_threads", "4")));
    }

    private Path fileWithData(byte[] data) throws IOException {
        Path path = dir.resolve("disk");
        Files.write(path, data);
        return path;
    }

    private static byte[] randomData() {
        byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        return data;
    }

    private static byte[] bytes(ByteBuf buf) {
        try {
            byte[] out = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), out);
            return out;
        } finally {
            assertTrue(buf.release(), "read buffer had other references");
        }
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

    /** {@code posix_fadvise}, to drop a file's pages from the page cache. */
    private interface Advice extends Library {
        int POSIX_FADV_DONTNEED = 4;

        int posix_fadvise(int fd, long offset, long length, int advice);
    }

    /** Drops {@code path}'s clean pages from the page cache; false when the kernel kept them. */
    private static boolean evict(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        int fd = LinuxIo.open(path, false);
        try {
            Native.load("c", Advice.class).posix_fadvise(fd, 0, 0, Advice.POSIX_FADV_DONTNEED);
        } finally {
            LinuxIo.close(fd);
        }
        CachedReads probe = NowaitReads.open(path);
        ByteBuf buf = POOLED.directBuffer(4096, 4096);
        try {
            return probe.read(buf, 64 * 4096) < 0;
        } finally {
            buf.release();
            probe.close();
        }
    }

    private static void assumeNative(Path path) {
        CachedReads probe = NowaitReads.open(path);
        assumeTrue(probe != null, "preadv2(RWF_NOWAIT) cannot be called here");
        probe.close();
    }

    @Test
    void cachedDataIsReadOnTheCallersThread() throws Exception {
        byte[] data = randomData();
        Path path = fileWithData(data);
        assumeNative(path);
        try (BackendLun lun = open(path, CachedReads.Opener.NATIVE)) {
            assertTrue(lun.runsOnCaller());
            CompletableFuture<ByteBuf> read = lun.read(100, 16, POOLED);
            assertTrue(read.isDone(), "a page-cache hit completes before read() returns");
            assertArrayEquals(Arrays.copyOfRange(data, 100 * 512, 116 * 512), bytes(read.join()));
            assertEquals(List.of(), channel.get().reads, "no I/O thread read");
        }
    }

    @Test
    void dataNotInMemoryIsReadByAnIoThread() throws Exception {
        byte[] data = randomData();
        Path path = fileWithData(data);
        assumeNative(path);
        assumeTrue(evict(path), "the kernel kept the file's pages");
        try (BackendLun lun = open(path, CachedReads.Opener.NATIVE)) {
            ByteBuf got = lun.read(1000, 8, POOLED).get(10, TimeUnit.SECONDS);
            assertArrayEquals(Arrays.copyOfRange(data, 1000 * 512, 1008 * 512), bytes(got));
            assertEquals(List.of(1000 * 512 + " 4096"), channel.get().reads);
            for (Thread t : channel.get().ioThreads) {
                assertTrue(t.getName().startsWith("block-disk-"), t.getName());
            }
        }
    }

    @Test
    void aShortCachedReadIsFinishedByAnIoThreadIntoTheSameBuffer() throws Exception {
        byte[] data = randomData();
        Path path = fileWithData(data);
        // Memory holds only the first 1000 bytes asked for.
        CachedReads.Opener partly = p -> new CachedReads() {
            @Override
            public int read(ByteBuf out, long position) {
                out.writeBytes(data, (int) position, 1000);
                return 1000;
            }

            @Override
            public void close() {
            }
        };
        try (BackendLun lun = open(path, partly)) {
            ByteBuf got = lun.read(8, 4, POOLED).get(10, TimeUnit.SECONDS);
            assertArrayEquals(Arrays.copyOfRange(data, 8 * 512, 12 * 512), bytes(got));
            assertEquals(List.of((8 * 512 + 1000) + " " + (4 * 512 - 1000)), channel.get().reads);
        }
    }

    @Test
    void aReadNothingOfWhichIsInMemoryGoesWholeToAnIoThread() throws Exception {
        byte[] data = randomData();
        Path path = fileWithData(data);
        CachedReads.Opener never = p -> new CachedReads() {
            @Override
            public int read(ByteBuf out, long position) {
                return -1;
            }

            @Override
            public void close() {
            }
        };
        try (BackendLun lun = open(path, never)) {
            ByteBuf got = lun.read(0, 8, POOLED).get(10, TimeUnit.SECONDS);
            assertArrayEquals(Arrays.copyOf(data, 4096), bytes(got));
            assertEquals(List.of("0 4096"), channel.get().reads);
        }
    }

    @Test
    void readsLargerThanAnInlineCopyGoToAnIoThread() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(8).nextBytes(data);
        Path path = fileWithData(data);
        AtomicBoolean asked = new AtomicBoolean();
        CachedReads.Opener watching = p -> new CachedReads() {
            @Override
            public int read(ByteBuf out, long position) {
                asked.set(true);
                return -1;
            }

            @Override
            public void close() {
            }
        };
        try (BackendLun lun = open(path, watching)) {
            int blocks = BlockLun.MAX_CACHED_READ / 512 + 1;
            ByteBuf got = lun.read(0, blocks, POOLED).get(10, TimeUnit.SECONDS);
            assertArrayEquals(Arrays.copyOf(data, blocks * 512), bytes(got));
            assertFalse(asked.get(), "no network thread copies more than " + BlockLun.MAX_CACHED_READ + " bytes");
        }
    }

    @Test
    void closeWaitsForACachedReadUnderWayAndThenClosesItsReader() throws Exception {
        byte[] data = randomData();
        Path path = fileWithData(data);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicBoolean readerClosed = new AtomicBoolean();
        CachedReads.Opener held = p -> new CachedReads() {
            @Override
            public int read(ByteBuf out, long position) {
                entered.countDown();
                try {
                    assertTrue(gate.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                assertFalse(readerClosed.get(), "reader closed under a read");
                int n = out.writableBytes();
                out.writeBytes(data, (int) position, n);
                return n;
            }

            @Override
            public void close() {
                readerClosed.set(true);
            }
        };
        BackendLun lun = open(path, held);
        AtomicReference<CompletableFuture<ByteBuf>> read = new AtomicReference<>();
        Thread reader = new Thread(() -> read.set(lun.read(2, 2, POOLED)), "reader");
        reader.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(lun::close, "closer");
        closer.start();
        awaitCondition(() -> closer.getState() == Thread.State.WAITING, "close waits for the read");
        assertFalse(readerClosed.get());
        gate.countDown();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(closer.isAlive());
        assertArrayEquals(Arrays.copyOfRange(data, 1024, 2048), bytes(read.get().join()));
        assertTrue(readerClosed.get());
        CompletionException e = assertThrows(CompletionException.class, () -> lun.read(0, 1, POOLED).join());
        assertEquals(BackendIoException.Kind.NO_MEDIA, assertInstanceOf(BackendIoException.class, e.getCause()).kind());
    }

    @Test
    void writesThroughTheChannelAreSeenByCachedReads() throws Exception {
        Path path = fileWithData(new byte[SIZE]);
        assumeNative(path);
        try (BackendLun lun = open(path, CachedReads.Opener.NATIVE)) {
            byte[] block = new byte[512];
            new Random(9).nextBytes(block);
            ByteBuf buf = POOLED.directBuffer(512).writeBytes(block);
            try {
                lun.write(77, buf, false).get(10, TimeUnit.SECONDS);
            } finally {
                buf.release();
            }
            CompletableFuture<ByteBuf> read = lun.read(77, 1, POOLED);
            assertTrue(read.isDone());
            assertArrayEquals(block, bytes(read.join()));
            assertEquals(List.of(), channel.get().reads);
        }
    }
}

package io.jctl.backend.block;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LbaStatus;
import io.jctl.core.backend.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Thin provisioning of file LUNs on the real file system of the temporary directory (it must punch holes, as
 * ext4, xfs and tmpfs do): holes appear where UNMAP deallocates, bytes outside the range stay, unaligned edges
 * read zeros, GET LBA STATUS finds data and holes.
 */
class BlockThinTest {
    private static final int BS = 512;
    @TempDir
    Path dir;
    private int granule;

    @BeforeEach
    void fileSystemPunchesHoles() throws IOException {
        assumeTrue(LinuxIo.unavailable() == null, "Linux calls unavailable");
        Path probe = file("probe", 1 << 20);
        FileHoles holes = FileHoles.probe(probe, 1 << 20, BS);
        assumeTrue(holes != null, "the temporary directory's file system does not punch holes");
        granule = holes.granularity();
        holes.close();
    }

    private Path file(String name, long size) throws IOException {
        Path path = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(size);
        }
        return path;
    }

    private static BackendLun open(Path file, long size, String... more) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(Map.of("file", file.toString(), "num_threads", "2"));
        for (int i = 0; i < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        return new BlockBackend().open(new LunSpec(size, BS, options));
    }

    private static void fill(BackendLun lun, long lba, int blocks, int value) {
        byte[] bytes = new byte[blocks * BS];
        Arrays.fill(bytes, (byte) value);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        try {
            lun.write(lba, buf, true).join();
        } finally {
            buf.release();
        }
    }

    private static byte[] read(BackendLun lun, long lba, int blocks) {
        ByteBuf buf = lun.read(lba, blocks, PooledByteBufAllocator.DEFAULT).join();
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), b);
            return b;
        } finally {
            buf.release();
        }
    }

    private static byte[] repeated(int blocks, int value) {
        byte[] b = new byte[blocks * BS];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static long allocated(Path file) throws IOException {
        int fd = LinuxIo.open(file, false);
        try {
            return LinuxIo.allocatedBytes(fd);
        } finally {
            LinuxIo.close(fd);
        }
    }

    @Test
    void unmapPunchesHolesAndKeepsEverythingOutsideTheRange() throws Exception {
        int g = granule / BS;
        int total = 64 * g;
        Path f = file("disk", (long) total * BS);
        try (BackendLun lun = open(f, (long) total * BS)) {
            assertTrue(lun.canUnmap());
            assertTrue(lun.unmapReadsZeros());
            assertFalse(lun.canAnchor());
            assertEquals(granule, lun.unmapGranularity());
            fill(lun, 0, total, 0xaa);
            long before = allocated(f);
            assertTrue(before >= (long) total * BS, "written file is allocated: " + before);

            long first = g + 3;          // starts inside granule 1
            long blocks = 20L * g;       // ends inside granule 21
            lun.unmap(first, blocks, false).join();

            long after = allocated(f);
            assertTrue(before - after >= 19L * granule, "19 whole granules freed: " + before + " -> " + after);
            assertArrayEquals(repeated((int) first, 0xaa), read(lun, 0, (int) first), "before the range");
            assertArrayEquals(repeated((int) blocks, 0), read(lun, first, (int) blocks), "the range reads zeros");
            int rest = (int) (total - first - blocks);
            assertArrayEquals(repeated(rest, 0xaa), read(lun, first + blocks, rest), "after the range");

            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, g + g), lun.lbaStatus(0).join(),
                    "granules 0 and 1 (its tail zeroed, still allocated)");
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, 19L * g), lun.lbaStatus(2L * g).join());
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, total - 21L * g), lun.lbaStatus(21L * g).join());
            assertEquals(Long.toString(lun.blocksUsed()), lun.info().get("blocksused"));
            assertNotNull(lun.info().get("blocksavail"));
        }
    }

    @Test
    void aRangeInsideOneGranuleIsZeroedNotPunched() throws Exception {
        Path f = file("small", 1 << 20);
        try (BackendLun lun = open(f, 1 << 20)) {
            int g = granule / BS;
            fill(lun, 0, 4 * g, 0x11);
            long before = allocated(f);
            lun.unmap(g + 1, g - 2, false).join();
            assertEquals(before, allocated(f));
            assertArrayEquals(repeated(g + 1, 0x11), read(lun, 0, g + 1));
            assertArrayEquals(repeated(g - 2, 0), read(lun, g + 1, g - 2));
            assertArrayEquals(repeated(g + 1, 0x11), read(lun, 2L * g - 1, g + 1));
        }
    }

    @Test
    void lbaStatusOfASparseFile() throws Exception {
        int g = granule / BS;
        long blocks = 1 << 14;
        Path f = file("sparse", blocks * BS);
        try (BackendLun lun = open(f, blocks * BS)) {
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, blocks), lun.lbaStatus(0).join());
            fill(lun, 10L * g + 1, 1, 0x22);
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, 10L * g), lun.lbaStatus(0).join());
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, g), lun.lbaStatus(10L * g).join());
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, 1), lun.lbaStatus(11L * g - 1).join());
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, blocks - 11L * g), lun.lbaStatus(11L * g).join());
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, 1), lun.lbaStatus(blocks - 1).join());
            assertKind(BackendIoException.Kind.INTERNAL, lun.lbaStatus(blocks));
        }
    }

    @Test
    void aFileLargerThanTheLunKeepsItsTail() throws Exception {
        Path f = file("bigger", 2 << 20);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek((2 << 20) - 1);
            raf.write(0x7f);
        }
        try (BackendLun lun = open(f, 1 << 20)) {
            lun.unmap(0, (1 << 20) / BS, false).join();
        }
        byte[] all = Files.readAllBytes(f);
        assertEquals(0x7f, all[all.length - 1], "the probe and the unmap stay inside the LUN");
    }

    @Test
    void readOnlyLunsAndAnchorsAreRefused() throws Exception {
        Path f = file("ro", 1 << 20);
        try (BackendLun lun = open(f, 1 << 20, "readonly", "on")) {
            assertFalse(lun.canUnmap());
            assertKind(BackendIoException.Kind.READ_ONLY, lun.unmap(0, 1, false));
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, (1 << 20) / BS), lun.lbaStatus(0).join(),
                    "a LUN that cannot deallocate reports everything mapped");
            assertNull(lun.info().get("blocksused"));
        }
        try (BackendLun lun = open(f, 1 << 20)) {
            assertKind(BackendIoException.Kind.UNSUPPORTED, lun.unmap(0, 8, true));
            assertKind(BackendIoException.Kind.INTERNAL, lun.unmap((1 << 20) / BS - 1, 2, false));
        }
    }

    @Test
    void deviceDiscardLimitsComeFromSysfs() throws IOException {
        long rdev = (8L << 8) | 16; // 8:16
        Path sys = dir.resolve("sys");
        Path queue = Files.createDirectories(sys.resolve("8:16").resolve("queue"));
        Files.writeString(queue.resolve("discard_max_bytes"), "0\n");
        Files.writeString(queue.resolve("discard_granularity"), "4096\n");
        assertNull(DeviceDiscard.limits(sys, rdev, BS), "no discard");
        Files.writeString(queue.resolve("discard_max_bytes"), "2147450880\n");
        assertEquals(new DeviceDiscard.Limits(4096, false), DeviceDiscard.limits(sys, rdev, BS));
        Files.writeString(queue.resolve("write_zeroes_max_bytes"), "33553920\n");
        assertEquals(new DeviceDiscard.Limits(4096, true), DeviceDiscard.limits(sys, rdev, BS));
        Files.writeString(queue.resolve("discard_granularity"), "512\n");
        assertEquals(new DeviceDiscard.Limits(4096, true), DeviceDiscard.limits(sys, rdev, 4096),
                "never finer than a block");
    }

    @Test
    void aPartitionUsesItsDisksQueue() throws IOException {
        Path sys = dir.resolve("sys2");
        Path disk = Files.createDirectories(sys.resolve("devices").resolve("sdb"));
        Path queue = Files.createDirectories(disk.resolve("queue"));
        Files.writeString(queue.resolve("discard_max_bytes"), "1048576\n");
        Files.writeString(queue.resolve("discard_granularity"), "1048576\n");
        Path partition = Files.createDirectories(disk.resolve("sdb1"));
        Files.createDirectories(sys.resolve("block"));
        Files.createSymbolicLink(sys.resolve("block").resolve("8:17"), partition);
        assertEquals(new DeviceDiscard.Limits(1 << 20, false),
                DeviceDiscard.limits(sys.resolve("block"), (8L << 8) | 17, BS));
    }

    private static void assertKind(BackendIoException.Kind kind, CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertEquals(kind, assertInstanceOf(BackendIoException.class, e.getCause()).kind());
    }
}

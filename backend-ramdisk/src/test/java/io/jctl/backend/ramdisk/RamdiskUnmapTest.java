package io.jctl.backend.ramdisk;

import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LbaStatus;
import io.jctl.core.backend.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UNMAP, ANCHOR and GET LBA STATUS on the RAM disk: 512-byte blocks, 4 KiB pages (8 blocks per page). */
class RamdiskUnmapTest {
    private static final int BS = 512;
    private static final int PAGE = 4096;

    private static BackendLun open(long size, String capacity) throws BackendConfigException {
        return new RamdiskBackend().open(new LunSpec(size, BS, Map.of("capacity", capacity)));
    }

    private static void fill(BackendLun lun, long lba, int blocks, int value) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * BS);
        byte[] bytes = new byte[blocks * BS];
        Arrays.fill(bytes, (byte) value);
        buf.writeBytes(bytes);
        try {
            lun.write(lba, buf, false).join();
        } finally {
            buf.release();
        }
    }

    private static byte[] read(BackendLun lun, long lba, int blocks) {
        ByteBuf buf = lun.read(lba, blocks, PooledByteBufAllocator.DEFAULT).join();
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    private static byte[] repeated(int blocks, int value) {
        byte[] b = new byte[blocks * BS];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void unmappingWholePagesFreesTheirMemoryAndTheyReadAsZeros() throws Exception {
        try (BackendLun lun = open(1 << 20, "1m")) {
            fill(lun, 0, 64, 0xaa); // 8 pages
            assertEquals(64, lun.blocksUsed());
            lun.unmap(8, 32, false).join(); // pages 1..4
            assertEquals(32, lun.blocksUsed());
            assertEquals((1 << 20) / BS - 32, lun.blocksAvailable());
            assertArrayEquals(repeated(8, 0xaa), read(lun, 0, 8));
            assertArrayEquals(repeated(32, 0), read(lun, 8, 32));
            assertArrayEquals(repeated(24, 0xaa), read(lun, 40, 24));
            assertEquals("32", lun.info().get("blocksused"));
        }
    }

    @Test
    void partialPagesAreZeroedAndStayMapped() throws Exception {
        try (BackendLun lun = open(1 << 20, "1m")) {
            fill(lun, 0, 24, 0x55); // pages 0..2
            lun.unmap(3, 15, false).join(); // blocks 3..17: tail of page 0, all of page 1, head of page 2
            assertEquals(16, lun.blocksUsed(), "only page 1 is freed");
            assertArrayEquals(repeated(3, 0x55), read(lun, 0, 3));
            assertArrayEquals(repeated(15, 0), read(lun, 3, 15));
            assertArrayEquals(repeated(6, 0x55), read(lun, 18, 6));
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, 8), lun.lbaStatus(0).join());
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, 8), lun.lbaStatus(8).join());
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, 8), lun.lbaStatus(16).join());
        }
    }

    @Test
    void lbaStatusReportsRunsUpToTheEndOfTheLun() throws Exception {
        long blocks = (1L << 30) / BS;
        try (BackendLun lun = open(1L << 30, "1g")) {
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, blocks), lun.lbaStatus(0).join());
            fill(lun, 4096, 16, 1);
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, 4096), lun.lbaStatus(0).join());
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, 12), lun.lbaStatus(4100).join());
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, blocks - 4112), lun.lbaStatus(4112).join());
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, 1), lun.lbaStatus(blocks - 1).join());
            assertFailsWith(BackendIoException.Kind.INTERNAL, lun.lbaStatus(blocks));
        }
    }

    @Test
    void anchoredPagesReadZerosKeepTheirCapacityAndAreWrittenWithoutNewReservation() throws Exception {
        try (BackendLun lun = open(1 << 20, "16k")) { // 4 pages of capacity
            assertTrue(lun.canAnchor());
            fill(lun, 0, 8, 0x11);
            lun.unmap(0, 24, true).join(); // page 0 was mapped, pages 1 and 2 were empty
            assertEquals(24, lun.blocksUsed(), "anchored pages hold their capacity");
            assertArrayEquals(repeated(24, 0), read(lun, 0, 24));
            assertEquals(new LbaStatus(LbaStatus.State.ANCHORED, 24), lun.lbaStatus(0).join());
            fill(lun, 8, 8, 0x22); // writes into an anchored page need no new capacity
            assertEquals(24, lun.blocksUsed());
            assertArrayEquals(repeated(8, 0x22), read(lun, 8, 8));
            fill(lun, 24, 8, 0x33); // the fourth and last page
            assertFailsWith(BackendIoException.Kind.NO_SPACE, writeOnePage(lun, 32));
            lun.unmap(0, 8, false).join(); // an anchored page deallocated gives its capacity back
            assertEquals(24, lun.blocksUsed());
            fill(lun, 32, 8, 0x44);
            assertArrayEquals(repeated(8, 0x44), read(lun, 32, 8));
        }
    }

    @Test
    void anchoringWithoutCapacityLeftLeavesPagesDeallocated() throws Exception {
        try (BackendLun lun = open(1 << 20, "8k")) {
            fill(lun, 0, 16, 7);
            lun.unmap(16, 8, true).join();
            assertEquals(new LbaStatus(LbaStatus.State.DEALLOCATED, (1 << 20) / BS - 16), lun.lbaStatus(16).join());
        }
    }

    @Test
    void unmappingEverythingOfAHugeLunIsQuickAndFreesEverything() throws Exception {
        long size = 1L << 40;
        try (BackendLun lun = open(size, "1m")) {
            fill(lun, 0, 8, 1);
            fill(lun, size / BS - 8, 8, 2);
            lun.unmap(0, size / BS, false).join();
            assertEquals(0, lun.blocksUsed());
            assertArrayEquals(repeated(8, 0), read(lun, size / BS - 8, 8));
        }
    }

    @Test
    void blackHoleUnmapIsANoOpAndEverythingReportsMapped() throws Exception {
        try (BackendLun lun = open(1 << 20, "0")) {
            lun.unmap(0, 16, false).join();
            assertEquals(new LbaStatus(LbaStatus.State.MAPPED, (1 << 20) / BS), lun.lbaStatus(0).join());
            assertEquals(0, lun.blocksUsed());
            assertEquals(0, lun.blocksAvailable());
        }
    }

    @Test
    void readOnlyRamdiskRefusesUnmap() throws Exception {
        try (BackendLun lun = new RamdiskBackend().open(new LunSpec(1 << 20, BS,
                Map.of("capacity", "1m", "readonly", "on")))) {
            assertFalse(lun.canUnmap());
            assertFailsWith(BackendIoException.Kind.READ_ONLY, lun.unmap(0, 1, false));
        }
    }

    @Test
    void granularityIsThePage() throws Exception {
        try (BackendLun lun = open(1 << 20, "1m")) {
            assertEquals(PAGE, lun.unmapGranularity());
            assertTrue(lun.unmapReadsZeros());
        }
    }

    private static CompletableFuture<Void> writeOnePage(BackendLun lun, long lba) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(PAGE).writeZero(PAGE);
        try {
            return lun.write(lba, buf, false);
        } finally {
            buf.release();
        }
    }

    private static void assertFailsWith(BackendIoException.Kind kind, CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertEquals(kind, assertInstanceOf(BackendIoException.class, e.getCause()).kind());
    }
}

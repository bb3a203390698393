package io.jctl.backend.block;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Deallocation on a block device, as its queue limits in sysfs allow: with write-zeroes support
 * {@code fallocate(PUNCH_HOLE)} (the kernel unmaps and guarantees zeros), otherwise {@code ioctl(BLKDISCARD)}
 * (what discarded blocks read is up to the device). A device cannot tell what is allocated, so every block reports
 * mapped.
 */
final class DeviceDiscard implements Deallocator {
    private static final Logger log = LoggerFactory.getLogger(DeviceDiscard.class);

    private final Path path;
    private final int fd;
    private final int granularity;
    private final boolean zeroes;

    private DeviceDiscard(Path path, int fd, int granularity, boolean zeroes) {
        this.path = path;
        this.fd = fd;
        this.granularity = granularity;
        this.zeroes = zeroes;
    }

    /** The queue limits of a device that discards, read from sysfs. */
    record Limits(int granularity, boolean zeroes) {
    }

    /**
     * The discard limits of device {@code rdev} from {@code <sysDevBlock>/<major>:<minor>/queue} (a partition's are
     * its disk's), or null when it does not discard.
     */
    static Limits limits(Path sysDevBlock, long rdev, int blockSize) throws IOException {
        Path node = BackingStore.sysfsNode(sysDevBlock, rdev);
        Path queue = node.resolve("queue");
        if (!Files.isDirectory(queue)) {
            queue = node.resolve("..").resolve("queue"); // a partition: the kernel resolves .. after the link
        }
        long maxDiscard = read(queue.resolve("discard_max_bytes"));
        if (maxDiscard <= 0) {
            return null;
        }
        long granularity = Math.max(blockSize, read(queue.resolve("discard_granularity")));
        if (Long.bitCount(granularity) != 1 || granularity > (1 << 30)) {
            return null;
        }
        long writeZeroes;
        try {
            writeZeroes = read(queue.resolve("write_zeroes_max_bytes"));
        } catch (NoSuchFileException e) {
            writeZeroes = 0; // kernels before 4.12
        }
        return new Limits((int) granularity, writeZeroes > 0);
    }

    private static long read(Path file) throws IOException {
        String text = Files.readString(file).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected '" + text + "' in " + file, e);
        }
    }

    /** Opens {@code store} for discards if the device offers them; null, with a log line, when it does not. */
    static DeviceDiscard probe(BackingStore store, int blockSize) {
        String unavailable = LinuxIo.unavailable();
        if (unavailable != null) {
            log.info("block: {}: no discard ({}); served fully provisioned", store.path(), unavailable);
            return null;
        }
        Limits limits;
        try {
            limits = limits(BackingStore.SYS_DEV_BLOCK, store.rdev(), blockSize);
        } catch (IOException e) {
            log.info("block: {}: cannot read its discard limits ({}); served fully provisioned", store.path(),
                    e.getMessage());
            return null;
        }
        if (limits == null) {
            log.info("block: device {} does not discard; served fully provisioned", store.path());
            return null;
        }
        try {
            int fd = LinuxIo.open(store.path(), true);
            log.info("block: device {} discards in {}-byte units{}", store.path(), limits.granularity(),
                    limits.zeroes() ? ", zeroing" : "");
            return new DeviceDiscard(store.path(), fd, limits.granularity(), limits.zeroes());
        } catch (IOException e) {
            log.info("block: {}: {}; served fully provisioned", store.path(), e.getMessage());
            return null;
        }
    }

    @Override
    public int granularity() {
        return granularity;
    }

    @Override
    public boolean readsZeros() {
        return zeroes;
    }

    @Override
    public boolean knowsHoles() {
        return false;
    }

    @Override
    public void deallocate(long offset, long length) throws IOException {
        if (zeroes) {
            LinuxIo.punchHole(fd, offset, length);
        } else {
            LinuxIo.discard(fd, offset, length);
        }
    }

    @Override
    public long nextData(long offset) {
        return offset;
    }

    @Override
    public long nextHole(long offset) {
        return -1;
    }

    @Override
    public long allocatedBytes() {
        return -1;
    }

    @Override
    public long availableBytes() {
        return -1;
    }

    @Override
    public void close() {
        LinuxIo.close(fd);
        log.debug("block: discard descriptor of {} closed", path);
    }
}

package io.jctl.backend.block;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deallocation in a regular file: {@code fallocate(PUNCH_HOLE | KEEP_SIZE)} frees whole file system blocks (they
 * then read as zeros) and {@code lseek(SEEK_DATA / SEEK_HOLE)} finds them again. Works on a descriptor of its own;
 * the file system block is the granularity.
 */
final class FileHoles implements Deallocator {
    private static final Logger log = LoggerFactory.getLogger(FileHoles.class);

    private final Path path;
    private final int fd;
    private final int granularity;
    private final FileStore fileStore;
    private volatile boolean closed;

    private FileHoles(Path path, int fd, int granularity, FileStore fileStore) {
        this.path = path;
        this.fd = fd;
        this.granularity = granularity;
        this.fileStore = fileStore;
    }

    /**
     * Opens {@code path} for deallocation if its file system punches holes: a hole is punched just past the end of
     * the file (where nothing lives) to find out. Null, with a log line saying why, when it cannot.
     */
    static FileHoles probe(Path path, long fileSize, int blockSize) {
        String unavailable = LinuxIo.unavailable();
        if (unavailable != null) {
            log.info("block: {}: no hole punching ({}); served fully provisioned", path, unavailable);
            return null;
        }
        FileStore store;
        int granularity;
        try {
            store = Files.getFileStore(path);
            granularity = (int) Math.max(blockSize, Math.min(1 << 20, store.getBlockSize()));
        } catch (IOException | UnsupportedOperationException e) {
            log.info("block: {}: cannot read its file system's block size ({}); served fully provisioned", path,
                    e.getMessage());
            return null;
        }
        if (Integer.bitCount(granularity) != 1) {
            log.info("block: {}: file system block of {} bytes is not a power of two; served fully provisioned",
                    path, granularity);
            return null;
        }
        int fd;
        try {
            fd = LinuxIo.open(path, true);
        } catch (IOException e) {
            log.info("block: {}: {}; served fully provisioned", path, e.getMessage());
            return null;
        }
        try {
            LinuxIo.punchHole(fd, fileSize, granularity);
        } catch (IOException e) {
            LinuxIo.close(fd);
            log.info("block: {}: the file system does not punch holes ({}); served fully provisioned", path,
                    e.getMessage());
            return null;
        }
        return new FileHoles(path, fd, granularity, store);
    }

    @Override
    public int granularity() {
        return granularity;
    }

    @Override
    public boolean readsZeros() {
        return true;
    }

    @Override
    public boolean knowsHoles() {
        return true;
    }

    @Override
    public void deallocate(long offset, long length) throws IOException {
        LinuxIo.punchHole(fd, offset, length);
    }

    @Override
    public long nextData(long offset) throws IOException {
        return LinuxIo.seek(fd, offset, LinuxIo.SEEK_DATA);
    }

    @Override
    public long nextHole(long offset) throws IOException {
        return LinuxIo.seek(fd, offset, LinuxIo.SEEK_HOLE);
    }

    @Override
    public long allocatedBytes() {
        if (closed) {
            return -1;
        }
        try {
            return LinuxIo.allocatedBytes(fd);
        } catch (IOException e) {
            log.warn("block: {}: {}", path, e.getMessage());
            return -1;
        }
    }

    @Override
    public long availableBytes() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            log.warn("block: {}: free space unknown: {}", path, e.getMessage());
            return -1;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LinuxIo.close(fd);
        }
    }
}

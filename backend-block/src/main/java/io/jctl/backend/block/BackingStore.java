package io.jctl.backend.block;

import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.LunSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The file behind a block LUN: a regular file or a block device, and how to learn (or set) its size.
 *
 * @param path   the resolved real path (symbolic links followed)
 * @param device true for a block device, false for a regular file
 * @param rdev   the device number of a block device (0 for a regular file)
 */
record BackingStore(Path path, boolean device, long rdev) {
    private static final Logger log = LoggerFactory.getLogger(BackingStore.class);
    static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;

    /** Resolves the {@code file} option (relative names against the working directory) and checks its type. */
    static BackingStore resolve(String file) throws BackendConfigException {
        if (file == null || file.isBlank()) {
            throw new BackendConfigException("block: option file is required (a regular file or block device)");
        }
        Path given = Path.of(file).toAbsolutePath();
        Path real;
        Map<String, Object> attributes;
        try {
            real = given.toRealPath();
            attributes = Files.readAttributes(real, "unix:mode,rdev");
        } catch (NoSuchFileException e) {
            throw new BackendConfigException("block: " + given + " does not exist");
        } catch (IOException e) {
            throw new BackendConfigException("block: cannot inspect " + given + ": " + e.getMessage(), e);
        }
        return switch ((Integer) attributes.get("mode") & S_IFMT) {
            case S_IFREG -> new BackingStore(real, false, 0);
            case S_IFBLK -> new BackingStore(real, true, (Long) attributes.get("rdev"));
            case S_IFDIR -> throw new BackendConfigException("block: " + given + " is a directory");
            case S_IFCHR -> throw new BackendConfigException("block: " + given
                    + " is a character device; only regular files and block devices can back a LUN");
            default -> throw new BackendConfigException("block: " + given
                    + " is not a regular file or block device");
        };
    }

    /** The size of the file or device now. */
    long currentSize(FileChannel channel) throws BackendConfigException {
        try {
            return device ? deviceSize(SYS_DEV_BLOCK, rdev) : channel.size();
        } catch (IOException e) {
            throw new BackendConfigException("block: cannot read the size of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A block device's size: the kernel reports it in 512-byte sectors in {@code <sysDevBlock>/<major>:<minor>/size},
     * whatever the device's logical block size.
     */
    static long deviceSize(Path sysDevBlock, long rdev) throws IOException {
        Path sizeFile = sysfsNode(sysDevBlock, rdev).resolve("size");
        String sectors = Files.readString(sizeFile).strip();
        try {
            return Math.multiplyExact(Long.parseLong(sectors), 512L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException("unexpected size '" + sectors + "' in " + sizeFile, e);
        }
    }

    /** {@code <sysDevBlock>/<major>:<minor>}, the device number decoded as glibc's {@code major()}/{@code minor()}. */
    static Path sysfsNode(Path sysDevBlock, long rdev) {
        long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
        long minor = (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
        return sysDevBlock.resolve(major + ":" + minor);
    }

    /**
     * The number of bytes to advertise for a requested size. {@link LunSpec#SIZE_AUTO} takes the whole file or
     * device; a regular file smaller than the request is extended sparsely (ftruncate), a device that is too small
     * is an error.
     */
    long sizeFor(FileChannel channel, long requested, int blockSize, boolean readOnly)
            throws BackendConfigException {
        long actual = currentSize(channel);
        if (requested == LunSpec.SIZE_AUTO) {
            if (actual < blockSize) {
                throw new BackendConfigException("block: " + path + " holds " + actual
                        + " bytes, less than one block of " + blockSize + "; give a size");
            }
            return actual;
        }
        if (requested < blockSize) {
            throw new BackendConfigException("block: size " + requested + " is smaller than one block ("
                    + blockSize + " bytes)");
        }
        if (requested > actual) {
            if (device) {
                throw new BackendConfigException("block: device " + path + " holds " + actual
                        + " bytes, less than the size " + requested);
            }
            if (readOnly) {
                throw new BackendConfigException("block: " + path + " holds " + actual
                        + " bytes, less than the size " + requested + ", and is read-only so it cannot grow");
            }
            extend(requested, actual);
        }
        return requested;
    }

    private void extend(long size, long actual) throws BackendConfigException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        } catch (IOException e) {
            throw new BackendConfigException("block: cannot extend " + path + " to " + size + " bytes: "
                    + e.getMessage(), e);
        }
        log.info("block: extended {} from {} to {} bytes (sparse)", path, actual, size);
    }
}

package io.jctl.backend.block;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The few Linux calls thin provisioning needs and Java 17 does not offer, made through JNA on a file descriptor of
 * their own: {@code fallocate(PUNCH_HOLE | KEEP_SIZE)} to deallocate, {@code lseek(SEEK_DATA / SEEK_HOLE)} to find
 * what is allocated, {@code ioctl(BLKDISCARD)} for devices and {@code fstat} for the allocated size. Failures are
 * {@link IOException}s whose message carries the C library's error text, so {@link IoErrors} maps ENOSPC, EROFS and
 * EOPNOTSUPP as it does for Java's own I/O errors.
 */
final class LinuxIo {
    private static final Logger log = LoggerFactory.getLogger(LinuxIo.class);

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    /** {@code _IO(0x12, 119)}: discard a byte range of a block device. */
    static final long BLKDISCARD = 0x1277;

    static final int ENXIO = 6;
    static final int EOPNOTSUPP = 95;

    /** Offset of {@code st_blocks} (512-byte units) in {@code struct stat} on x86-64 and aarch64 Linux. */
    private static final int ST_BLOCKS_OFFSET = 64;
    private static final int STAT_SIZE = 256;

    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

        long lseek(int fd, long offset, int whence) throws LastErrorException;

        int ioctl(int fd, NativeLong request, long[] range) throws LastErrorException;

        int fstat(int fd, byte[] stat) throws LastErrorException;
    }

    private static final LibC LIBC;
    private static final String UNAVAILABLE;

    static {
        LibC lib = null;
        String why = null;
        if (!Platform.isLinux()) {
            why = "not Linux";
        } else {
            try {
                lib = Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                why = "cannot load the C library through JNA: " + e.getMessage();
                log.warn("block: {}; files and devices are served fully provisioned", why);
            }
        }
        LIBC = lib;
        UNAVAILABLE = why;
    }

    private LinuxIo() {
    }

    /** Null when the calls can be made, else why not. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    static int open(Path path, boolean writable) throws IOException {
        try {
            return LIBC.open(path.toString(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw error("open " + path, e);
        }
    }

    static void close(int fd) {
        try {
            LIBC.close(fd);
        } catch (LastErrorException e) {
            log.warn("block: close of descriptor {} failed: {}", fd, describe(e.getErrorCode()));
        }
    }

    /** Deallocates {@code length} bytes from {@code offset}; the file keeps its size and the range reads zeros. */
    static void punchHole(int fd, long offset, long length) throws IOException {
        try {
            LIBC.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
        } catch (LastErrorException e) {
            throw error("fallocate(PUNCH_HOLE) of " + length + " bytes at " + offset, e);
        }
    }

    /** Discards {@code length} bytes from {@code offset} of a block device. */
    static void discard(int fd, long offset, long length) throws IOException {
        try {
            LIBC.ioctl(fd, new NativeLong(BLKDISCARD), new long[] {offset, length});
        } catch (LastErrorException e) {
            throw error("ioctl(BLKDISCARD) of " + length + " bytes at " + offset, e);
        }
    }

    /**
     * {@code lseek} with SEEK_DATA or SEEK_HOLE: the offset of the next data (or hole) at or after {@code offset},
     * or -1 when there is none (ENXIO: no data up to the end of the file, or {@code offset} is past it).
     */
    static long seek(int fd, long offset, int whence) throws IOException {
        try {
            return LIBC.lseek(fd, offset, whence);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENXIO) {
                return -1;
            }
            throw error("lseek(" + (whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE") + ") at " + offset, e);
        }
    }

    /** Bytes the file holds on disk ({@code st_blocks} × 512), or -1 where the stat layout is not known. */
    static long allocatedBytes(int fd) throws IOException {
        if (!Platform.is64Bit() || !(Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64"))) {
            return -1;
        }
        byte[] stat = new byte[STAT_SIZE];
        try {
            LIBC.fstat(fd, stat);
        } catch (LastErrorException e) {
            throw error("fstat", e);
        } catch (UnsatisfiedLinkError e) {
            return -1; // C libraries before glibc 2.33 export only __fxstat
        }
        return ByteBuffer.wrap(stat).order(ByteOrder.nativeOrder()).getLong(ST_BLOCKS_OFFSET) * 512;
    }

    private static IOException error(String what, LastErrorException e) {
        return new IOException(what + ": " + describe(e.getErrorCode()));
    }

    /** The C library's text for the errno values the backend maps, with the number. */
    static String describe(int errno) {
        String text = switch (errno) {
            case 1 -> "Operation not permitted";
            case 5 -> "Input/output error";
            case ENXIO -> "No such device or address";
            case 9 -> "Bad file descriptor";
            case 13 -> "Permission denied";
            case 22 -> "Invalid argument";
            case 27 -> "File too large";
            case 28 -> "No space left on device";
            case 30 -> "Read-only file system";
            case 38 -> "Function not implemented";
            case EOPNOTSUPP -> "Operation not supported";
            case 122 -> "Disk quota exceeded";
            default -> "error";
        };
        return text + " (errno " + errno + ")";
    }
}

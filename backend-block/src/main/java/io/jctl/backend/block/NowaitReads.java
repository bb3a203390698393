package io.jctl.backend.block;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * {@link CachedReads} through {@code preadv2(fd, iov, 1, offset, RWF_NOWAIT)}: the kernel copies what its page
 * cache holds straight into the buffer's memory and answers EAGAIN (or a short count) instead of starting device
 * I/O. The call is bound with JNA's direct mapping, the cheapest way JNA offers (no proxy, no argument boxing).
 *
 * <p>The descriptor is the backend's own, opened read-only on the same path as the LUN's {@code FileChannel}: the
 * channel's descriptor could be had only by reflection into {@code sun.nio.ch.FileChannelImpl} and
 * {@code java.io.FileDescriptor}, which Java 17 refuses unless every launcher adds {@code --add-opens} for two
 * JDK packages, and whose lifetime the channel owns. A second descriptor of the same file shares its page cache,
 * so reads through it see every write made through the channel, and it is closed only after the last read.
 */
final class NowaitReads implements CachedReads {
    private static final Logger log = LoggerFactory.getLogger(NowaitReads.class);

    private static final int RWF_NOWAIT = 0x08;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;
    /** One {@code struct iovec} per thread: base address and length, 8 bytes each on 64-bit Linux. */
    private static final FastThreadLocal<ByteBuffer> IOVEC = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(16);
        }
    };
    /** Null when the call can be made, else why not. */
    private static final String UNAVAILABLE = Native0.UNAVAILABLE;

    private final Path path;
    private final int fd;
    private volatile boolean refused;

    private NowaitReads(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code path} for reads from memory; null, with a log line saying why, where they cannot be made. */
    static CachedReads open(Path path) {
        if (UNAVAILABLE != null) {
            return null;        // said once, when the call could not be bound
        }
        try {
            return new NowaitReads(path, LinuxIo.open(path, false));
        } catch (IOException e) {
            log.warn("block: {}: {}; every read goes to the I/O threads", path, e.getMessage());
            return null;
        }
    }

    @Override
    public int read(ByteBuf out, long position) {
        int length = out.writableBytes();
        if (refused || length == 0 || !out.hasMemoryAddress()) {
            return -1;
        }
        long iov = PlatformDependent.directBufferAddress(IOVEC.get());
        PlatformDependent.putLong(iov, out.memoryAddress() + out.writerIndex());
        PlatformDependent.putLong(iov + 8, length);
        long n = Native0.preadv2(fd, iov, 1, position, RWF_NOWAIT);
        if (n >= 0) {
            out.writerIndex(out.writerIndex() + (int) n);
            return (int) n;
        }
        int errno = Native.getLastError();
        if (errno == EOPNOTSUPP || errno == EINVAL) {
            refused = true;
            log.warn("block: {}: the file system refuses reads that must not wait ({}); every read goes to the I/O "
                    + "threads", path, LinuxIo.describe(errno));
        }
        // EAGAIN: not in memory. Anything else (EIO ...) the I/O threads meet again and report.
        return -1;
    }

    @Override
    public void close() {
        LinuxIo.close(fd);
    }

    /** The bound C library call; loading fails softly where it cannot be bound. */
    private static final class Native0 {
        static final String UNAVAILABLE;

        static {
            String why = null;
            if (!Platform.isLinux() || !Platform.is64Bit()) {
                why = "not 64-bit Linux";
            } else if (!PlatformDependent.hasUnsafe()) {
                why = "Netty cannot address buffer memory directly";
            } else if (LinuxIo.unavailable() != null) {
                why = LinuxIo.unavailable();
            } else {
                try {
                    Native.register(Native0.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                } catch (LinkageError | RuntimeException e) {
                    why = "cannot bind preadv2 through JNA: " + e.getMessage();
                }
            }
            UNAVAILABLE = why;
            if (why != null) {
                log.warn("block: reads from the page cache on the network threads unavailable ({}); every read "
                        + "goes to the I/O threads", why);
            }
        }

        /** {@code ssize_t preadv2(int, const struct iovec *, int, off_t, int)}; the pointer passed as its address. */
        static native long preadv2(int fd, long iov, int iovcnt, long offset, int flags);
    }
}

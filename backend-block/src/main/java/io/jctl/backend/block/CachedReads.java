package io.jctl.backend.block;

import io.netty.buffer.ByteBuf;

import java.nio.file.Path;

/**
 * Reads served only from memory (the page cache), never waiting for a device, so they can run on a network thread.
 * What is not in memory is left to the LUN's I/O threads. The block backend's seam to {@code preadv2(RWF_NOWAIT)}.
 */
interface CachedReads extends AutoCloseable {
    /**
     * Copies the bytes from {@code position} into {@code out} at its writer index, up to its writable bytes, as far
     * as they are in memory now, and advances the writer index by what was copied (possibly less than asked for;
     * nothing past the end of the file). Returns the number of bytes copied, or -1 when none of them is in memory
     * or the call could not be made.
     */
    int read(ByteBuf out, long position);

    /** Releases the descriptor; called once no read runs any more. */
    @Override
    void close();

    /** How the block backend gets {@link CachedReads} for a backing file; null when it cannot have them. */
    @FunctionalInterface
    interface Opener {
        /** Reads from memory through a descriptor of the native {@code preadv2}; null where that is unavailable. */
        Opener NATIVE = NowaitReads::open;

        /** No reads from memory: every read goes to the I/O threads. */
        Opener NONE = path -> null;

        CachedReads open(Path path);
    }
}

package io.jctl.backend.block;

import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * The {@code block} backend: LUNs stored in a regular file or a block device (ctl-facts §7.2). Options:
 * {@code file} (mandatory; relative names are taken from the working directory), {@code readonly},
 * {@code num_threads} (I/O threads per LUN, default 32 as CTL). A file that cannot be opened for writing
 * (EACCES, EROFS) is served read-only, as CTL does. A writable file on a file system that punches holes, or a
 * device that discards, can deallocate blocks (thin provisioning, {@link Deallocator}).
 */
public final class BlockBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(BlockBackend.class);
    static final int DEFAULT_THREADS = 32;
    static final int MAX_THREADS = 256;
    private static final int MIN_BLOCK_SIZE = 512;
    private static final int MAX_BLOCK_SIZE = 64 * 1024;

    private final ChannelOpener opener;
    private final CachedReads.Opener cachedReads;

    public BlockBackend() {
        this(ChannelOpener.FILES, CachedReads.Opener.NATIVE);
    }

    /** A backend whose channels come from {@code opener}; reads all go through them (no reads from memory). */
    BlockBackend(ChannelOpener opener) {
        this(opener, CachedReads.Opener.NONE);
    }

    BlockBackend(ChannelOpener opener, CachedReads.Opener cachedReads) {
        this.opener = opener;
        this.cachedReads = cachedReads;
    }

    @Override
    public String name() {
        return "block";
    }

    @Override
    public BackendLun open(LunSpec spec) throws BackendConfigException {
        int blockSize = spec.blockSize();
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new BackendConfigException("block: block size " + blockSize + " is not a power of two from "
                    + MIN_BLOCK_SIZE + " to " + MAX_BLOCK_SIZE);
        }
        long threads = spec.sizeOption("num_threads", DEFAULT_THREADS);
        if (threads < 1 || threads > MAX_THREADS) {
            throw new BackendConfigException("block: num_threads " + threads + " is not from 1 to " + MAX_THREADS);
        }
        boolean readOnly = spec.flagOption("readonly", false);
        BackingStore store = BackingStore.resolve(spec.options().get("file"));
        FileChannel channel;
        try {
            channel = opener.open(store.path(), !readOnly);
        } catch (FileSystemException e) {
            if (readOnly || !(e instanceof AccessDeniedException || "Read-only file system".equals(e.getReason()))) {
                throw cannotOpen(store, e);
            }
            log.warn("block: {} cannot be opened for writing ({}); serving it read-only", store.path(),
                    e.getReason() == null ? "permission denied" : e.getReason());
            readOnly = true;
            channel = openReadOnly(store);
        } catch (IOException e) {
            throw cannotOpen(store, e);
        }
        try {
            long size = store.sizeFor(channel, spec.sizeBytes(), blockSize, readOnly);
            Deallocator deallocator = readOnly ? null : probeDeallocation(store, channel, blockSize);
            CachedReads cached;
            try {
                cached = openCachedReads(store);
            } catch (RuntimeException e) {
                if (deallocator != null) {
                    deallocator.close();
                }
                throw e;
            }
            return new BlockLun(store, channel, blockSize, size / blockSize, readOnly, (int) threads, cached,
                    deallocator);
        } catch (BackendConfigException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Reads from memory for {@code store}, or null when they cannot be had (every read then queues). */
    private CachedReads openCachedReads(BackingStore store) {
        try {
            return cachedReads.open(store.path());
        } catch (LinkageError e) {
            log.warn("block: {}: native calls unavailable ({}); every read goes to the I/O threads", store.path(),
                    e.toString());
            return null;
        }
    }

    /**
     * How the store deallocates: hole punching in a file (tried just past its end, where nothing lives), discard on
     * a device that offers it; null when it cannot (the LUN is then fully provisioned).
     */
    private static Deallocator probeDeallocation(BackingStore store, FileChannel channel, int blockSize)
            throws BackendConfigException {
        try {
            if (store.device()) {
                return DeviceDiscard.probe(store, blockSize);
            }
            return FileHoles.probe(store.path(), store.currentSize(channel), blockSize);
        } catch (LinkageError e) {
            // JNA missing from the class path (a stale launcher jar): serve the LUN, fully provisioned
            log.warn("block: {}: native calls unavailable ({}); served fully provisioned", store.path(), e.toString());
            return null;
        }
    }

    private FileChannel openReadOnly(BackingStore store) throws BackendConfigException {
        try {
            return opener.open(store.path(), false);
        } catch (IOException e) {
            throw cannotOpen(store, e);
        }
    }

    private static BackendConfigException cannotOpen(BackingStore store, IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : String.valueOf(e.getMessage());
        return new BackendConfigException("block: cannot open " + store.path() + ": " + reason, e);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("block: closing a channel after a failed open: {}", e.toString());
        }
    }
}

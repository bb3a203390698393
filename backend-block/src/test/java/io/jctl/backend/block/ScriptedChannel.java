package io.jctl.backend.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real file channel with knobs for tests: short writes, injected errors, a gate that holds writes, and a
 * record of positional calls and the threads that made them.
 */
final class ScriptedChannel extends FileChannel {
    private final FileChannel delegate;
    volatile int maxBytesPerWrite = Integer.MAX_VALUE;
    volatile IOException writeFailure;
    volatile IOException readFailure;
    volatile CountDownLatch writeGate;
    final CountDownLatch writeEntered = new CountDownLatch(1);
    final List<String> events = new CopyOnWriteArrayList<>();
    final Set<Thread> ioThreads = ConcurrentHashMap.newKeySet();
    /** Position and length asked for by every positional read. */
    final List<String> reads = new CopyOnWriteArrayList<>();

    ScriptedChannel(FileChannel delegate) {
        this.delegate = delegate;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        ioThreads.add(Thread.currentThread());
        reads.add(position + " " + dst.remaining());
        if (readFailure != null) {
            throw readFailure;
        }
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        ioThreads.add(Thread.currentThread());
        writeEntered.countDown();
        CountDownLatch gate = writeGate;
        if (gate != null) {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        if (writeFailure != null) {
            throw writeFailure;
        }
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + Math.min(part.remaining(), maxBytesPerWrite));
        int n = delegate.write(part, position);
        src.position(src.position() + n);
        events.add("write " + position + " " + n);
        return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        events.add("force");
        delegate.force(metaData);
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}

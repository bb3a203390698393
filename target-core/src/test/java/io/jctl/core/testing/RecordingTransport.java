package io.jctl.core.testing;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A frontend stand-in: records completions, aborts and data; Data-Out is supplied by the test. */
public final class RecordingTransport implements TaskTransport {
    public record Completion(ScsiTask task, ScsiStatus status, byte[] sense, byte[] data) {
    }

    public final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    public final Map<ScsiTask, Completion> byTask = new ConcurrentHashMap<>();
    public final List<ScsiTask> aborted = new CopyOnWriteArrayList<>();
    public final Map<ScsiTask, CompletableFuture<ByteBuf>> receives = new ConcurrentHashMap<>();
    public final List<byte[]> sent = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ByteBuf> receiveData(ScsiTask task, int length) {
        CompletableFuture<ByteBuf> f = new CompletableFuture<>();
        receives.put(task, f);
        return f;
    }

    @Override
    public void sendData(ScsiTask task, ByteBuf data) {
        try {
            sent.add(ByteBufUtil.getBytes(data));
        } finally {
            data.release();
        }
    }

    @Override
    public void complete(ScsiTask task, ByteBuf finalData) {
        byte[] data = null;
        if (finalData != null) {
            try {
                data = ByteBufUtil.getBytes(finalData);
            } finally {
                finalData.release();
            }
        }
        Completion c = new Completion(task, task.status(), task.sense(), data);
        if (byTask.putIfAbsent(task, c) != null) {
            throw new AssertionError(task + " completed twice");
        }
        completions.add(c);
    }

    @Override
    public void aborted(ScsiTask task) {
        aborted.add(task);
        CompletableFuture<ByteBuf> f = receives.get(task);
        if (f != null) {
            f.completeExceptionally(new IOException("task aborted"));
        }
    }

    /** The completion of {@code task}, waiting up to 10 s for it. */
    public Completion await(ScsiTask task) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Completion c = byTask.get(task);
            if (c != null) {
                return c;
            }
            completions.poll(10, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(task + " did not complete");
    }
}

package io.jctl.core.dispatch;

import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of single-thread lanes; a command runs on the lane of its LUN, so one LUN's handlers start in the
 * order they became runnable and never contend with each other for a thread.
 */
public final class LaneExecutor implements TaskExecutor {
    private static final Logger log = LoggerFactory.getLogger(LaneExecutor.class);

    private final ExecutorService[] lanes;

    public LaneExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one worker thread");
        }
        lanes = new ExecutorService[threads];
        for (int i = 0; i < threads; i++) {
            String name = "jctl-worker-" + i;
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                // Netty's own thread kind: buffers the handlers allocate come from a per-thread cache instead of
                // the shared arena and its lock; the cache is given back when the thread ends.
                Thread t = new FastThreadLocalThread(() -> {
                    try {
                        r.run();
                    } finally {
                        FastThreadLocal.removeAll();
                    }
                }, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** CTL's default worker count: the number of CPUs, at least 1, at most 16. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }

    public int threads() {
        return lanes.length;
    }

    @Override
    public void execute(ActiveCommand command) {
        int key = command.lun() == null ? command.nexus().portId() : command.lun().id();
        try {
            lanes[Math.floorMod(key, lanes.length)].execute(command);
        } catch (RejectedExecutionException e) {
            log.warn("{}: target is shutting down; answered BUSY", command);
            command.fail(ScsiException.status(ScsiStatus.BUSY));
        }
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                if (!lane.awaitTermination(10, TimeUnit.SECONDS)) {
                    lane.shutdownNow();
                }
            } catch (InterruptedException e) {
                lane.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}

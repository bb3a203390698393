package io.jctl.backend.block;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The I/O threads of one LUN: up to {@code max} threads take operations from one queue. Waking a parked thread is
 * a futex round trip for both sides, so it is done only when needed: a submission wakes a thread only when none is
 * awake and between operations, and a thread that takes an operation while more wait wakes one more before it
 * starts. Operations that finish quickly (page-cache writes) are thus drained by one or two threads; operations
 * that block (device reads, syncs) draw in more threads, up to {@code max}. The thread woken is the one that
 * parked last (a stack), whose caches are warm, so a stream of one operation at a time keeps using one thread;
 * threads parked longer than {@code idleNanos} end, so quiet LUNs hold no threads.
 */
final class IoThreads {
    private static final Logger log = LoggerFactory.getLogger(IoThreads.class);

    private final String name;
    private final int max;
    private final long idleNanos;
    private final ThreadFactory factory;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Threads awake and about to look at the queue (not running an operation, not parked). */
    private final AtomicInteger free = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    /** Parked threads, the last parked first. Guarded by {@link #lock}. */
    private final ArrayDeque<Worker> parked = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private int threads;
    private volatile boolean shutdown;

    IoThreads(String name, int max, long idleNanos, ThreadFactory factory) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one I/O thread");
        }
        this.name = name;
        this.max = max;
        this.idleNanos = idleNanos;
        this.factory = factory;
    }

    /** One thread; {@link #parked} (guarded by the lock) says whether it waits for a wake-up. */
    private final class Worker implements Runnable {
        Thread thread;
        boolean parked;

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable operation = queue.poll();
                    if (operation != null) {
                        free.decrementAndGet();
                        if (free.get() == 0 && !queue.isEmpty()) {
                            wake();     // more wait and nobody else is coming for them
                        }
                        runSafely(operation);
                        free.incrementAndGet();
                    } else if (!idle(this)) {
                        return;
                    }
                }
            } finally {
                lock.lock();
                try {
                    if (--threads == 0) {
                        ended.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Queues {@code operation}; false (and it never runs) after {@link #shutdown()}, or when no thread could be
     * started to run it. The caller makes sure no call overlaps {@link #shutdown()}.
     */
    boolean execute(Runnable operation) {
        if (shutdown) {
            return false;
        }
        queue.offer(operation);
        if (free.get() == 0 && !wake()) {
            return !queue.remove(operation);
        }
        return true;
    }

    /**
     * Wakes the last parked thread, or starts one when none is parked and fewer than {@code max} run; false only
     * when a thread was needed, none runs and none could be started.
     */
    private boolean wake() {
        Worker woken;
        Worker started = null;
        lock.lock();
        try {
            if (shutdown) {
                return true;    // every thread is awake already and drains the queue before it ends
            }
            woken = parked.pollFirst();
            if (woken != null) {
                woken.parked = false;
                free.incrementAndGet();
            } else if (threads < max) {
                started = new Worker();
                started.thread = factory.newThread(started);
                threads++;
                free.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
        if (woken != null) {
            LockSupport.unpark(woken.thread);
        } else if (started != null) {
            try {
                started.thread.start();
            } catch (OutOfMemoryError | RuntimeException e) {
                log.error("{}: cannot start an I/O thread: {}", name, e.toString());
                lock.lock();
                try {
                    threads--;
                    free.decrementAndGet();
                    return threads > 0;
                } finally {
                    lock.unlock();
                }
            }
        }
        return true;
    }

    /**
     * Called by a thread that found the queue empty: parks it until it is woken (true) or has been idle for
     * {@code idleNanos} or shutdown began with nothing left to do (false: the thread ends).
     */
    private boolean idle(Worker self) {
        lock.lock();
        try {
            if (shutdown) {
                if (!queue.isEmpty()) {
                    return true;
                }
                free.decrementAndGet();
                return false;
            }
            self.parked = true;
            parked.addFirst(self);
            free.decrementAndGet();
        } finally {
            lock.unlock();
        }
        // An operation queued after the poll, whose submitter saw this thread still free, is this thread's to run.
        if (!queue.isEmpty()) {
            unpark(self);
            return true;
        }
        long deadline = System.nanoTime() + idleNanos;
        while (true) {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
            lock.lock();
            try {
                if (!self.parked) {
                    return true;                // woken, and counted free by whoever woke it
                }
                if (System.nanoTime() - deadline >= 0) {
                    self.parked = false;
                    parked.remove(self);
                    return false;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Takes {@code self} off the parked stack unless someone woke it meanwhile (who then counted it free). */
    private void unpark(Worker self) {
        lock.lock();
        try {
            if (self.parked) {
                self.parked = false;
                parked.remove(self);
                free.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    private void runSafely(Runnable operation) {
        try {
            operation.run();
        } catch (RuntimeException | Error e) {
            log.error("{}: I/O operation failed unexpectedly", name, e);
        }
    }

    /** Stops accepting operations; those already queued still run, then the threads end. */
    void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            for (Worker worker : parked) {
                worker.parked = false;
                free.incrementAndGet();
                LockSupport.unpark(worker.thread);
            }
            parked.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for every thread to end after {@link #shutdown()}; true when they have. */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (threads > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = ended.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Operations queued and not yet taken by a thread. */
    int queued() {
        return queue.size();
    }

    /** Threads parked, waiting for work. */
    int parkedThreads() {
        lock.lock();
        try {
            return parked.size();
        } finally {
            lock.unlock();
        }
    }

    /** Threads running now (busy or parked). */
    int threads() {
        lock.lock();
        try {
            return threads;
        } finally {
            lock.unlock();
        }
    }
}

package io.jctl.backend.block;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoThreadsTest {
    private final AtomicInteger created = new AtomicInteger();
    private IoThreads pool;

    private IoThreads pool(int max, long idleNanos) {
        pool = new IoThreads("test", max, idleNanos, r -> {
            Thread t = new Thread(r, "io-" + created.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return pool;
    }

    @AfterEach
    void shutdown() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static CompletableFuture<Thread> submit(IoThreads pool, Runnable body) {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        assertTrue(pool.execute(() -> {
            body.run();
            ranOn.complete(Thread.currentThread());
        }));
        return ranOn;
    }

    @Test
    void oneOperationAtATimeKeepsUsingOneThread() throws Exception {
        IoThreads pool = pool(8, TimeUnit.SECONDS.toNanos(30));
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 200; i++) {
            used.add(submit(pool, () -> { }).get(10, TimeUnit.SECONDS));
            awaitCondition(() -> pool.parkedThreads() == pool.threads(), "the thread parks");
        }
        assertEquals(1, used.size(), "threads used: " + used);
        assertEquals(1, created.get());
    }

    @Test
    void theThreadThatParkedLastIsWokenFirst() throws Exception {
        IoThreads pool = pool(3, TimeUnit.SECONDS.toNanos(30));
        List<CountDownLatch> releases = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
        List<CompletableFuture<Thread>> blocked = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        for (CountDownLatch release : releases) {
            blocked.add(submit(pool, () -> {
                running.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        awaitCondition(() -> running.get() == 3, "three threads run");
        for (int i = 0; i < 3; i++) {
            releases.get(i).countDown();
            int parked = i + 1;
            awaitCondition(() -> pool.parkedThreads() == parked, parked + " threads parked");
        }
        Thread last = blocked.get(2).get(10, TimeUnit.SECONDS);
        assertEquals(last, submit(pool, () -> { }).get(10, TimeUnit.SECONDS));
    }

    @Test
    void blockingOperationsDrawInThreadsUpToTheMaximum() throws Exception {
        IoThreads pool = pool(4, TimeUnit.SECONDS.toNanos(30));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<CompletableFuture<Thread>> done = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            done.add(submit(pool, () -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
            }));
        }
        awaitCondition(() -> running.get() == 4, "four operations block at once");
        assertEquals(6, pool.queued(), "the rest wait for a thread");
        assertEquals(4, pool.threads());
        release.countDown();
        for (CompletableFuture<Thread> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(4, mostAtOnce.get(), "never more threads than the maximum");
        assertEquals(4, created.get());
    }

    @Test
    void idleThreadsEnd() throws Exception {
        IoThreads pool = pool(4, TimeUnit.MILLISECONDS.toNanos(20));
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Thread>> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            done.add(submit(pool, () -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        awaitCondition(() -> pool.threads() == 3, "three threads run");
        release.countDown();
        for (CompletableFuture<Thread> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        awaitCondition(() -> pool.threads() == 0, "idle threads end");
        submit(pool, () -> { }).get(10, TimeUnit.SECONDS);
        assertEquals(4, created.get(), "a new thread starts for work after the others ended");
    }

    @Test
    void shutdownRunsWhatWasQueuedThenRefuses() throws Exception {
        IoThreads pool = pool(1, TimeUnit.SECONDS.toNanos(30));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Thread> first = submit(pool, () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<CompletableFuture<Thread>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queued.add(submit(pool, () -> { }));
        }
        pool.shutdown();
        assertFalse(pool.execute(() -> { }), "no operation accepted after shutdown");
        assertFalse(pool.awaitTermination(0, TimeUnit.SECONDS), "threads still busy");
        release.countDown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        first.get(0, TimeUnit.SECONDS);
        for (CompletableFuture<Thread> f : queued) {
            f.get(0, TimeUnit.SECONDS);
        }
        assertEquals(0, pool.threads());
    }

    @Test
    void manySubmittersNeverLoseAnOperation() throws Exception {
        IoThreads pool = pool(3, TimeUnit.MILLISECONDS.toNanos(1));
        int submitters = 4;
        int each = 5_000;
        AtomicInteger ran = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    assertTrue(pool.execute(ran::incrementAndGet));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        awaitCondition(() -> ran.get() == submitters * each, "every operation ran");
    }

    @Test
    void anOperationThatThrowsDoesNotEndItsThread() throws Exception {
        IoThreads pool = pool(1, TimeUnit.SECONDS.toNanos(30));
        assertTrue(pool.execute(() -> {
            throw new IllegalStateException("expected by the test");
        }));
        Thread ranOn = submit(pool, () -> { }).get(10, TimeUnit.SECONDS);
        assertEquals("io-1", ranOn.getName());
        assertEquals(1, created.get());
    }
}

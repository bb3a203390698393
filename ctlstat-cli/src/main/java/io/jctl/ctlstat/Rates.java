package io.jctl.ctlstat;

import io.jctl.control.message.IoStats;

import java.util.List;

/**
 * Counter differences of one column group over an interval, and the per-second figures ctlstat prints.
 */
record Rates(long bytes, long operations, long dmas, long timeNanos, long dmaTimeNanos, double seconds) {

    /** Sum of {@code cur - prev} over the given counters (prev may be null: since creation). */
    static Rates between(List<IoStats> cur, List<IoStats> prev, double seconds) {
        long bytes = 0;
        long ops = 0;
        long dmas = 0;
        long time = 0;
        long dmaTime = 0;
        for (IoStats c : cur) {
            bytes += c.bytes();
            ops += c.operations();
            dmas += c.dmas();
            time += c.timeNanos();
            dmaTime += c.dmaTimeNanos();
        }
        if (prev != null) {
            for (IoStats p : prev) {
                bytes -= p.bytes();
                ops -= p.operations();
                dmas -= p.dmas();
                time -= p.timeNanos();
                dmaTime -= p.dmaTimeNanos();
            }
        }
        return new Rates(bytes, ops, dmas, time, dmaTime, seconds);
    }

    /** Milliseconds per operation (per DMA with {@code dma}). */
    double msPerTransfer(boolean dma) {
        long n = dma ? dmas : operations;
        return n == 0 ? 0 : (dma ? dmaTimeNanos : timeNanos) / 1e6 / n;
    }

    double kbPerTransfer() {
        return operations == 0 ? 0 : bytes / 1024.0 / operations;
    }

    /** Operations (DMAs with {@code dma}) per second. */
    double transfersPerSecond(boolean dma) {
        return seconds <= 0 ? 0 : (dma ? dmas : operations) / seconds;
    }

    double mbPerSecond() {
        return seconds <= 0 ? 0 : bytes / 1048576.0 / seconds;
    }
}

package io.jctl.core.stats;

/**
 * Counters of one I/O type.
 *
 * @param bytes        data bytes moved
 * @param operations   successful commands
 * @param dmas         data transfers (each Data-In or Data-Out movement)
 * @param timeNanos    total command time, arrival to completion
 * @param dmaTimeNanos time spent waiting for Data-Out
 */
public record IoCounters(long bytes, long operations, long dmas, long timeNanos, long dmaTimeNanos) {
    public static final IoCounters ZERO = new IoCounters(0, 0, 0, 0, 0);
}

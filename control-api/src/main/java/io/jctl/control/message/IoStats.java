package io.jctl.control.message;

/**
 * Counters of one I/O type (ctl-facts §13), accumulated since the LUN or port was created.
 *
 * @param type         {@code NO IO}, {@code READ} or {@code WRITE}
 * @param bytes        bytes moved
 * @param operations   completed commands
 * @param dmas         data movements
 * @param timeNanos    total command time
 * @param dmaTimeNanos time spent moving data
 */
public record IoStats(String type, long bytes, long operations, long dmas, long timeNanos, long dmaTimeNanos) {
    public static final String NO_IO = "NO IO";
    public static final String READ = "READ";
    public static final String WRITE = "WRITE";
}

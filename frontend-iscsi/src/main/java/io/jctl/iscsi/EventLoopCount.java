package io.jctl.iscsi;

/**
 * How many network event loops the frontend runs: the JVM property {@code jctl.iscsi.eventLoops} if set, else one
 * per CPU (more loops than cores only add context switches). Kept free of Netty classes so that the daemon can
 * size Netty's allocator from it before Netty reads its settings.
 */
public final class EventLoopCount {
    /** JVM property that overrides the number of event loops. */
    public static final String PROPERTY = "jctl.iscsi.eventLoops";

    private EventLoopCount() {
    }

    public static int configured() {
        return Math.max(1, Integer.getInteger(PROPERTY, Runtime.getRuntime().availableProcessors()));
    }
}

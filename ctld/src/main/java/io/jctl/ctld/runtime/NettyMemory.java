package io.jctl.ctld.runtime;

import io.jctl.iscsi.EventLoopCount;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.util.internal.PlatformDependent;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Sizes Netty's pooled buffers for this daemon. Netty reads these settings once, when its classes load, so
 * {@link #apply()} must run before anything touches Netty; a {@code -D} the administrator gave always wins.
 * <ul>
 * <li>One direct arena per network event loop ({@code io.netty.allocator.numDirectArenas}): Netty's default is two
 * per CPU, and every arena keeps chunks of its own, while only the event loops allocate in earnest.</li>
 * <li>Direct memory without Cleaners ({@code io.netty.tryReflectionSetAccessible}, with the jar's
 * {@code Add-Opens: java.base/java.nio}): chunks come from malloc and are resident only where written, where
 * {@code ByteBuffer.allocateDirect} zeroes (touches) every chunk.</li>
 * <li>A direct-memory limit of the machine's memory ({@code io.netty.maxDirectMemory}): RAM disk pages are direct
 * memory too, and would otherwise be capped by the JVM's default, the heap limit.</li>
 * </ul>
 */
public final class NettyMemory {
    static final String ARENAS = "io.netty.allocator.numDirectArenas";
    static final String NO_CLEANER = "io.netty.tryReflectionSetAccessible";
    static final String MAX_DIRECT = "io.netty.maxDirectMemory";

    private NettyMemory() {
    }

    /** Sets the defaults below that are not set already. Call first thing in {@code main}. */
    public static void apply() {
        defaults(System.getProperties(), EventLoopCount.configured(), physicalMemory())
                .forEach(System::setProperty);
    }

    /**
     * The properties to set, given those already set.
     *
     * @param eventLoops     network event loops the frontend will run
     * @param physicalMemory the machine's (or container's) memory in bytes; 0 or less when unknown, which leaves the
     *                       JVM's limit in place
     */
    static Map<String, String> defaults(Properties set, int eventLoops, long physicalMemory) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ARENAS, Integer.toString(Math.max(1, eventLoops)));
        out.put(NO_CLEANER, "true");
        if (physicalMemory > 0) {
            out.put(MAX_DIRECT, Long.toString(physicalMemory));
        }
        out.keySet().removeIf(set::containsKey);
        return out;
    }

    private static long physicalMemory() {
        try {
            // container-aware: a cgroup's memory limit when there is one
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
        } catch (ClassCastException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** One line for the log: the heap and direct-memory limits and the pool's shape, as they took effect. */
    public static String describe() {
        Runtime rt = Runtime.getRuntime();
        PooledByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
        String gc = String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).toList());
        return String.format("heap max %s (committed %s, GC %s); direct memory limit %s (%s), %d arenas of %s"
                        + " chunks",
                mib(rt.maxMemory()), mib(rt.totalMemory()), gc, mib(PlatformDependent.maxDirectMemory()),
                PlatformDependent.useDirectBufferNoCleaner() ? "malloc, no Cleaner" : "ByteBuffer.allocateDirect",
                pool.numDirectArenas(), mib(pool.chunkSize()));
    }

    static String mib(long bytes) {
        return bytes % (1 << 20) == 0 || bytes >= 100L << 20 ? (bytes >> 20) + " MiB"
                : String.format("%.1f MiB", bytes / 1048576.0);
    }
}

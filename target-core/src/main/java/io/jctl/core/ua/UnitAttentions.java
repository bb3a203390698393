package io.jctl.core.ua;

import io.jctl.core.task.Nexus;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The pending unit attentions of one LUN, one bit set per I_T nexus. As in CTL every nexus slot starts with
 * POWER ON pending, so the first command a new nexus sends to a LUN reports 29h/01h.
 */
public final class UnitAttentions {
    private static final UnitAttention[] BY_PRIORITY = UnitAttention.values();
    private static final int POWER_ON = bit(UnitAttention.POWER_ON);

    private final ConcurrentHashMap<Nexus, AtomicInteger> slots = new ConcurrentHashMap<>();

    private static int bit(UnitAttention ua) {
        return 1 << ua.ordinal();
    }

    private AtomicInteger slot(Nexus nexus) {
        AtomicInteger s = slots.get(nexus);
        return s != null ? s : slots.computeIfAbsent(nexus, n -> new AtomicInteger(POWER_ON));
    }

    private static UnitAttention highest(int bits) {
        return bits == 0 ? null : BY_PRIORITY[Integer.numberOfTrailingZeros(bits)];
    }

    /** The highest-priority pending UA of the nexus without clearing it (QUERY ASYNCHRONOUS EVENT), or null. */
    public UnitAttention peek(Nexus nexus) {
        AtomicInteger s = slots.get(nexus);
        return s == null ? UnitAttention.POWER_ON : highest(s.get());
    }

    /**
     * Reports the highest-priority pending UA of the nexus, or null: it is cleared, and a reset-class UA clears
     * every other pending UA of the nexus too.
     */
    public UnitAttention take(Nexus nexus) {
        AtomicInteger s = slot(nexus);
        while (true) {
            int bits = s.get();
            UnitAttention ua = highest(bits);
            if (ua == null) {
                return null;
            }
            int left = ua.resetClass() ? 0 : bits & ~bit(ua);
            if (s.compareAndSet(bits, left)) {
                return ua;
            }
        }
    }

    /**
     * Raises {@code ua} for one nexus. A nexus not seen yet keeps no slot: its pending POWER ON outranks and
     * wipes {@code ua} anyway, so lost sessions do not leave slots on LUNs they never used.
     */
    public void raise(Nexus nexus, UnitAttention ua) {
        AtomicInteger s = slots.get(nexus);
        if (s != null) {
            int b = bit(ua);
            s.getAndUpdate(v -> v | b);
        }
    }

    /**
     * Raises {@code ua} for every nexus except {@code except} (null: all). Nexuses not seen yet need nothing:
     * they start with POWER ON, which outranks and wipes every other condition.
     */
    public void raiseAll(UnitAttention ua, Nexus except) {
        raiseWhere(ua, n -> !n.equals(except));
    }

    /** Raises {@code ua} for every known nexus {@code who} accepts. */
    public void raiseWhere(UnitAttention ua, Predicate<Nexus> who) {
        int b = bit(ua);
        slots.forEach((nexus, s) -> {
            if (who.test(nexus)) {
                s.getAndUpdate(v -> v | b);
            }
        });
    }

    /** Clears {@code ua} for one nexus if pending. */
    public void clear(Nexus nexus, UnitAttention ua) {
        AtomicInteger s = slots.get(nexus);
        if (s != null) {
            int b = bit(ua);
            s.getAndUpdate(v -> v & ~b);
        }
    }

    /** True when {@code ua} is pending for the nexus. */
    public boolean pending(Nexus nexus, UnitAttention ua) {
        AtomicInteger s = slots.get(nexus);
        return ((s == null ? POWER_ON : s.get()) & bit(ua)) != 0;
    }
}

package io.jctl.core.ua;

import io.jctl.core.task.Nexus;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The pending unit attentions of one LUN, one bit set per I_T nexus, reported highest priority first
 * (declaration order of {@link UnitAttention}).
 *
 * <p>A nexus gets a slot on its first command to the LUN and keeps it, so conditions raised for "every nexus"
 * (resets, capacity or LUN inventory changes, a lost nexus) reach the nexuses that use the LUN. A nexus first
 * seen has nothing pending: iSCSI initiators log in with a fresh ISID per session, and common tools (libiscsi's
 * {@code iscsi-ls -s}) give up on a POWER ON at their first TEST UNIT READY. POWER ON is raised explicitly, for the
 * nexuses logged in when a LUN is created.
 */
public final class UnitAttentions {
    /** Slots kept per LUN before slots holding nothing but a nexus loss are dropped. */
    static final int MAX_SLOTS = 4096;

    private static final UnitAttention[] BY_PRIORITY = UnitAttention.values();
    private static final int DEPARTED = bit(UnitAttention.I_T_NEXUS_LOSS);

    private final ConcurrentHashMap<Nexus, AtomicInteger> slots = new ConcurrentHashMap<>();

    private static int bit(UnitAttention ua) {
        return 1 << ua.ordinal();
    }

    private AtomicInteger slot(Nexus nexus) {
        AtomicInteger s = slots.get(nexus);
        if (s != null) {
            return s;
        }
        if (slots.size() >= MAX_SLOTS) {
            prune();
        }
        return slots.computeIfAbsent(nexus, n -> new AtomicInteger());
    }

    /**
     * Drops slots holding nothing but the loss of their nexus (sessions that ended and never came back, with
     * random ISIDs the common case) or nothing at all (they are recreated on the nexus's next command).
     */
    private void prune() {
        for (Iterator<Map.Entry<Nexus, AtomicInteger>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            int bits = it.next().getValue().get();
            if ((bits & ~DEPARTED) == 0) {
                it.remove();
            }
        }
    }

    private static UnitAttention highest(int bits) {
        return bits == 0 ? null : BY_PRIORITY[Integer.numberOfTrailingZeros(bits)];
    }

    /** Records that the nexus uses this LUN, so later conditions raised for every nexus reach it. */
    public void touch(Nexus nexus) {
        slot(nexus);
    }

    /** The highest-priority pending UA of the nexus without clearing it (QUERY ASYNCHRONOUS EVENT), or null. */
    public UnitAttention peek(Nexus nexus) {
        AtomicInteger s = slots.get(nexus);
        return s == null ? null : highest(s.get());
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

    /** Raises {@code ua} for one nexus. */
    public void raise(Nexus nexus, UnitAttention ua) {
        int b = bit(ua);
        slot(nexus).getAndUpdate(v -> v | b);
    }

    /** Raises {@code ua} for one nexus only if it has used this LUN. */
    public void raiseIfKnown(Nexus nexus, UnitAttention ua) {
        AtomicInteger s = slots.get(nexus);
        if (s != null) {
            int b = bit(ua);
            s.getAndUpdate(v -> v | b);
        }
    }

    /** Raises {@code ua} for every nexus that has used this LUN except {@code except} (null: all of them). */
    public void raiseAll(UnitAttention ua, Nexus except) {
        raiseWhere(ua, n -> !n.equals(except));
    }

    /** Raises {@code ua} for every nexus that has used this LUN and {@code who} accepts. */
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
        return s != null && (s.get() & bit(ua)) != 0;
    }

    /** Number of nexus slots (for tests and diagnostics). */
    int slotCount() {
        return slots.size();
    }
}

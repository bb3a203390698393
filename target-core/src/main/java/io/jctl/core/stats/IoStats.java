package io.jctl.core.stats;

import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a LUN or port. Updated from many threads without locks. */
public final class IoStats {
    private static final int TYPES = IoType.values().length;

    private final LongAdder[] bytes = adders();
    private final LongAdder[] operations = adders();
    private final LongAdder[] dmas = adders();
    private final LongAdder[] time = adders();
    private final LongAdder[] dmaTime = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[TYPES];
        for (int i = 0; i < TYPES; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Counts one successfully completed command. */
    public void record(IoType type, long byteCount, int transfers, long timeNanos, long dmaTimeNanos) {
        int i = type.ordinal();
        bytes[i].add(byteCount);
        operations[i].increment();
        dmas[i].add(transfers);
        time[i].add(timeNanos);
        dmaTime[i].add(dmaTimeNanos);
    }

    public StatsSnapshot snapshot() {
        EnumMap<IoType, IoCounters> m = new EnumMap<>(IoType.class);
        for (IoType t : IoType.values()) {
            int i = t.ordinal();
            m.put(t, new IoCounters(bytes[i].sum(), operations[i].sum(), dmas[i].sum(), time[i].sum(),
                    dmaTime[i].sum()));
        }
        return new StatsSnapshot(m);
    }
}

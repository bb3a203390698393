package io.jctl.core.stats;

import java.util.EnumMap;
import java.util.Map;

/** A LUN's or port's counters at one moment, one entry per {@link IoType}. */
public record StatsSnapshot(Map<IoType, IoCounters> byType) {
    public StatsSnapshot {
        EnumMap<IoType, IoCounters> all = new EnumMap<>(IoType.class);
        for (IoType t : IoType.values()) {
            all.put(t, byType.getOrDefault(t, IoCounters.ZERO));
        }
        byType = Map.copyOf(all);
    }

    public IoCounters get(IoType type) {
        return byType.get(type);
    }
}

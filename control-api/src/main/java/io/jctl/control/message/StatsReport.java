package io.jctl.control.message;

import java.util.List;

/**
 * A snapshot of the counters.
 *
 * @param uptimeNanos time since the daemon started, on its monotonic clock: rates are counter deltas over
 *                    uptime deltas, and the first report of {@code ctlstat} averages over the whole uptime
 * @param timeValid   whether command times are measured (the {@code ms} column)
 * @param luns        LUN counters, by LUN number
 * @param ports       port counters, by port number
 */
public record StatsReport(long uptimeNanos, boolean timeValid, List<StatsItem> luns, List<StatsItem> ports) {
    public StatsReport {
        luns = luns == null ? List.of() : List.copyOf(luns);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}

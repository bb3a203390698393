package io.jctl.control.message;

import java.util.List;

/**
 * Which counters {@code ctlstat} wants.
 *
 * @param luns  LUN numbers; null = every LUN, empty = none
 * @param ports port numbers; null = every port, empty = none
 */
public record StatsArgs(List<Integer> luns, List<Integer> ports) {
    public StatsArgs {
        luns = luns == null ? null : List.copyOf(luns);
        ports = ports == null ? null : List.copyOf(ports);
    }

    public static StatsArgs everything() {
        return new StatsArgs(null, null);
    }
}

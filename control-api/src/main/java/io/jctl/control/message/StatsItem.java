package io.jctl.control.message;

import java.util.List;

/**
 * Counters of one LUN or port.
 *
 * @param num    LUN or port number
 * @param target target name (ports only, null for LUNs)
 * @param io     one entry per I/O type in the order NO IO, READ, WRITE
 */
public record StatsItem(int num, String target, List<IoStats> io) {
    public StatsItem {
        io = List.copyOf(io);
    }

    /** Counters of one type; zeros if the daemon did not report it. */
    public IoStats of(String type) {
        for (IoStats s : io) {
            if (s.type().equals(type)) {
                return s;
            }
        }
        return new IoStats(type, 0, 0, 0, 0, 0);
    }
}

package io.jctl.ctlstat;

import io.jctl.control.message.IoStats;
import io.jctl.control.message.StatsItem;

import java.io.PrintWriter;
import java.util.List;

/** Raw counters: the text dump ({@code -D}) and the JSON dump ({@code -j}) of ctlstat. */
final class DumpView {
    static final List<String> TYPES = List.of(IoStats.NO_IO, IoStats.READ, IoStats.WRITE);

    private DumpView() {
    }

    static void text(PrintWriter out, List<StatsItem> items, boolean ports) {
        for (StatsItem item : items) {
            out.printf("%s %d%n", ports ? "port" : "lun", item.num());
            for (int t = 0; t < TYPES.size(); t++) {
                IoStats s = item.of(TYPES.get(t));
                out.printf("  io type %d (%s)%n", t, TYPES.get(t));
                out.printf("    bytes %d%n", s.bytes());
                out.printf("    operations %d%n", s.operations());
                out.printf("    dmas %d%n", s.dmas());
                out.printf("    io time %s%n", seconds(s.timeNanos()));
                out.printf("    dma time %s%n", seconds(s.dmaTimeNanos()));
            }
        }
        out.flush();
    }

    /** One JSON document on one line: {@code {"luns":[{"num":N,"io":[...]}]}} ({@code "ports"} for ports). */
    static void json(PrintWriter out, List<StatsItem> items, boolean ports) {
        StringBuilder sb = new StringBuilder("{\"").append(ports ? "ports" : "luns").append("\":[");
        for (int i = 0; i < items.size(); i++) {
            StatsItem item = items.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"num\":").append(item.num()).append(",\"io\":[");
            for (int t = 0; t < TYPES.size(); t++) {
                IoStats s = item.of(TYPES.get(t));
                sb.append(t == 0 ? "" : ",")
                        .append("{\"type\":\"").append(TYPES.get(t)).append('"')
                        .append(",\"bytes\":").append(s.bytes())
                        .append(",\"operations\":").append(s.operations())
                        .append(",\"dmas\":").append(s.dmas())
                        .append(",\"io time\":").append(seconds(s.timeNanos()))
                        .append(",\"dma time\":").append(seconds(s.dmaTimeNanos()))
                        .append('}');
            }
            sb.append("]}");
        }
        sb.append("]}");
        out.println(sb);
        out.flush();
    }

    /** {@code seconds.microseconds}, as CTL prints a bintime. */
    static String seconds(long nanos) {
        return String.format("%d.%06d", nanos / 1_000_000_000L, nanos % 1_000_000_000L / 1000);
    }
}

package io.jctl.ctlstat;

import io.jctl.control.message.IoStats;
import io.jctl.control.message.StatsItem;
import io.jctl.control.message.StatsReport;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code ctlstat -P}: an HTTP/1.1 response carrying the LUN and port counters in the Prometheus text format, for
 * running under inetd. Times are in microseconds.
 */
final class PrometheusView {
    private record Family(String suffix, String help, ToLongFunction<IoStats> value) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("bytes", "Number of bytes", IoStats::bytes),
            new Family("dmas", "Number of DMA", IoStats::dmas),
            new Family("operations", "Number of operations", IoStats::operations),
            new Family("time", "Cumulative operation time in us", s -> s.timeNanos() / 1000),
            new Family("dma_time", "Cumulative DMA time in us", s -> s.dmaTimeNanos() / 1000));

    private PrometheusView() {
    }

    static void print(PrintWriter out, StatsReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 200 OK\r\n");
        sb.append("Content-Type: text/plain; version=0.0.4\r\n");
        sb.append("\r\n");
        families(sb, "lun", report.luns());
        families(sb, "port", report.ports());
        out.print(sb);
        out.flush();
    }

    private static void families(StringBuilder sb, String kind, List<StatsItem> items) {
        for (Family f : FAMILIES) {
            String name = "iscsi_" + kind + "_" + f.suffix();
            sb.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
            sb.append("# TYPE ").append(name).append(" counter\n");
            for (StatsItem item : items) {
                for (String type : DumpView.TYPES) {
                    sb.append(name).append('{').append(kind).append("=\"").append(item.num()).append('"');
                    if (item.target() != null) {
                        sb.append(",target=\"").append(escape(item.target())).append('"');
                    }
                    sb.append(",type=\"").append(type).append("\"} ")
                            .append(f.value().applyAsLong(item.of(type))).append('\n');
                }
            }
        }
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

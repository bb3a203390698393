package io.jctl.ctlstat;

import io.jctl.control.message.IoStats;
import io.jctl.control.message.StatsItem;
import io.jctl.control.message.StatsReport;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ctlstat's standard mode: one line per report, a column group per LUN or port (or Read/Write/Total with
 * {@code -t}). The first report averages over the daemon's uptime, later ones cover the interval.
 */
final class StandardView {
    private static final int HEADER_EVERY = 20;

    private final PrintWriter out;
    private final boolean ports;
    private final List<Integer> selected;
    private final int numDevs;
    private final boolean totals;
    private final boolean dma;
    private final boolean cpu;
    private final boolean header;

    private StatsReport previous;
    private CpuTimes previousCpu = CpuTimes.ZERO;
    private int linesSinceHeader;

    /**
     * @param selected explicit LUN/port numbers ({@code -l}/{@code -p}), or empty for the first {@code numDevs}
     */
    StandardView(PrintWriter out, boolean ports, List<Integer> selected, int numDevs, boolean totals, boolean dma,
                 boolean cpu, boolean header) {
        this.out = out;
        this.ports = ports;
        this.selected = List.copyOf(selected);
        this.numDevs = numDevs;
        this.totals = totals;
        this.dma = dma;
        this.cpu = cpu;
        this.header = header;
    }

    void print(StatsReport report, CpuTimes cpuNow) {
        List<StatsItem> items = pick(ports ? report.ports() : report.luns());
        boolean timeValid = report.timeValid();
        double seconds = (report.uptimeNanos() - (previous == null ? 0 : previous.uptimeNanos())) / 1e9;
        Map<Integer, StatsItem> before = new HashMap<>();
        if (previous != null) {
            for (StatsItem i : ports ? previous.ports() : previous.luns()) {
                before.put(i.num(), i);
            }
        }
        List<String> titles = new ArrayList<>();
        List<Rates> groups = new ArrayList<>();
        if (totals) {
            for (String type : List.of(IoStats.READ, IoStats.WRITE)) {
                titles.add(type.equals(IoStats.READ) ? "Read" : "Write");
                groups.add(sum(items, before, seconds, type));
            }
            titles.add("Total");
            groups.add(sum(items, before, seconds, null));
        } else {
            for (StatsItem item : items) {
                titles.add((ports ? "port" : "lun") + item.num());
                StatsItem old = before.get(item.num());
                groups.add(Rates.between(item.io(), old == null ? null : old.io(), seconds));
            }
        }
        if (header && linesSinceHeader % HEADER_EVERY == 0) {
            printHeader(titles, timeValid);
        }
        linesSinceHeader++;
        StringBuilder line = new StringBuilder();
        if (cpu) {
            line.append(String.format("%3.0f%%", cpuNow.busyPercentSince(previousCpu)));
        }
        for (Rates r : groups) {
            line.append(line.length() == 0 ? "" : "  ");
            if (timeValid) {
                line.append(String.format("%6.2f ", r.msPerTransfer(dma)));
            }
            line.append(String.format("%6.2f %6.0f %6.2f", r.kbPerTransfer(), r.transfersPerSecond(dma),
                    r.mbPerSecond()));
        }
        out.println(line);
        out.flush();
        previous = report;
        previousCpu = cpuNow;
    }

    private List<StatsItem> pick(List<StatsItem> all) {
        if (!selected.isEmpty()) {
            List<StatsItem> picked = new ArrayList<>();
            for (int n : selected) {
                all.stream().filter(i -> i.num() == n).findFirst()
                        .ifPresent(picked::add);
            }
            return picked;
        }
        if (totals) {
            return all;
        }
        return all.subList(0, Math.min(numDevs, all.size()));
    }

    private static Rates sum(List<StatsItem> items, Map<Integer, StatsItem> before, double seconds, String type) {
        List<IoStats> cur = new ArrayList<>();
        List<IoStats> prev = new ArrayList<>();
        for (StatsItem item : items) {
            StatsItem old = before.get(item.num());
            if (type == null) {
                cur.addAll(item.io());
                if (old != null) {
                    prev.addAll(old.io());
                }
            } else {
                cur.add(item.of(type));
                if (old != null) {
                    prev.add(old.of(type));
                }
            }
        }
        return Rates.between(cur, prev, seconds);
    }

    private void printHeader(List<String> titles, boolean timeValid) {
        int width = timeValid ? 27 : 20;
        StringBuilder top = new StringBuilder(cpu ? " CPU" : "");
        StringBuilder sub = new StringBuilder(cpu ? "    " : "");
        for (String t : titles) {
            String sep = top.length() == 0 ? "" : "  ";
            top.append(sep).append(String.format("%" + width + "s", t));
            sub.append(sep);
            if (timeValid) {
                sub.append(String.format("%6s ", "ms"));
            }
            sub.append(String.format("%6s %6s %6s", "KB/t", dma ? "dps" : "tps", "MB/s"));
        }
        out.println(top);
        out.println(sub);
    }
}

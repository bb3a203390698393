package io.jctl.ctlstat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Aggregate CPU time from {@code /proc/stat} (the {@code cpu} line, in clock ticks since boot). The CPU column of
 * ctlstat is the non-idle share of the difference between two samples, as CTL computes it from
 * {@code kern.cp_time}.
 *
 * @param busy  ticks not spent idle or waiting for I/O
 * @param total all ticks
 */
public record CpuTimes(long busy, long total) {
    static final CpuTimes ZERO = new CpuTimes(0, 0);

    /** Reads the current sample. */
    public static CpuTimes read(Path procStat) throws IOException {
        for (String line : Files.readAllLines(procStat)) {
            if (line.startsWith("cpu ")) {
                return parse(line);
            }
        }
        throw new IOException(procStat + " has no aggregate cpu line");
    }

    /** Parses {@code cpu user nice system idle iowait irq softirq steal ...}. */
    static CpuTimes parse(String line) throws IOException {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5) {
            throw new IOException("short cpu line in /proc/stat: " + line);
        }
        long total = 0;
        long idle = 0;
        try {
            // guest and guest_nice (fields 9, 10) are already counted in user and nice
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("bad cpu line in /proc/stat: " + line, e);
        }
        return new CpuTimes(total - idle, total);
    }

    /** Busy percentage since {@code earlier}. */
    public double busyPercentSince(CpuTimes earlier) {
        long dt = total - earlier.total;
        return dt <= 0 ? 0 : 100.0 * (busy - earlier.busy) / dt;
    }
}

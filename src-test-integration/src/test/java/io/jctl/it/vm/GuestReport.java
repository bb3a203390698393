package io.jctl.it.vm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the guest wrote to its result port (scripts/vm/guest-init.sh): whether it booted and finished, each
 * workload's result and how long it took. Lines that are not the guest's protocol are ignored.
 */
public final class GuestReport {

    private static final Pattern RESULT = Pattern.compile("^JCTL-VM RESULT (\\S+) (PASS|FAIL)\\s?(.*)$");
    private static final Pattern TIME = Pattern.compile("^JCTL-VM TIME (\\S+) (\\d+(?:\\.\\d+)?)$");
    private static final Pattern BOOTED = Pattern.compile("^JCTL-VM BOOTED (.*)$");
    private static final Pattern DONE = Pattern.compile("^JCTL-VM DONE\\b.*$");

    private final Map<String, GuestResult> results = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private String booted;
    private boolean done;

    private GuestReport() {
    }

    public static GuestReport parse(String text) {
        GuestReport report = new GuestReport();
        for (String raw : text.split("\n")) {
            String line = raw.replace("\r", "").strip();
            Matcher m;
            if ((m = RESULT.matcher(line)).matches()) {
                report.results.put(m.group(1), new GuestResult(m.group(1), m.group(2).equals("PASS"), m.group(3).strip()));
            } else if ((m = TIME.matcher(line)).matches()) {
                report.seconds.put(m.group(1), Double.parseDouble(m.group(2)));
            } else if ((m = BOOTED.matcher(line)).matches()) {
                report.booted = m.group(1);
            } else if (DONE.matcher(line).matches()) {
                report.done = true;
            }
        }
        return report;
    }

    public Optional<GuestResult> result(String workload) {
        return Optional.ofNullable(results.get(workload));
    }

    public Map<String, GuestResult> results() {
        return Map.copyOf(results);
    }

    /** Seconds the workload took in the guest, if it reported it. */
    public Optional<Double> seconds(String workload) {
        return Optional.ofNullable(seconds.get(workload));
    }

    /** The kernel release and uptime the guest reported on boot, if it booted. */
    public Optional<String> booted() {
        return Optional.ofNullable(booted);
    }

    /** True when the guest ran every workload and reached its final line. */
    public boolean done() {
        return done;
    }

    /** One line per workload in the order reported: for logs and failure messages. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        results.values().forEach(r -> out.append(r.workload()).append(' ').append(r.passed() ? "PASS" : "FAIL")
                .append(seconds.containsKey(r.workload()) ? " (" + seconds.get(r.workload()) + " s)" : "")
                .append(' ').append(r.details()).append('\n'));
        return out.toString();
    }
}

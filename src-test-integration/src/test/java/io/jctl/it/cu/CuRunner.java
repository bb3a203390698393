package io.jctl.it.cu;

import io.jctl.it.support.ToolResult;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs libiscsi's iscsi-test-cu one test per process (so a hang, crash or leftover state stays with its test),
 * each under its own timeout and all before a deadline, with -d (destructive tests allowed) and -S (SANITIZE
 * allowed): point it only at scratch LUNs. Every run's output is kept in LOGDIR/TEST.log.
 *
 * <p>Each test logs in as {@link #INITIATOR}; the tests that need a second I_T nexus (reservations, PREVENT
 * ALLOW MEDIUM REMOVAL) use {@link #SECOND_INITIATOR}. The MultipathIO tests get the second path's URL.
 */
public final class CuRunner {

    public static final String FAMILY = "ALL";
    public static final String INITIATOR = "iqn.2026-11.io.jctl.test:init1";
    public static final String SECOND_INITIATOR = "iqn.2026-11.io.jctl.test:init2";

    /** The families issue 2 requires to have no failure. */
    public static final Set<String> FOUNDATION_SUITES = Set.of("Inquiry", "TestUnitReady", "ReadCapacity10",
            "ReadCapacity16", "Read6", "Read10", "Read12", "Read16", "Write10", "Write12", "Write16", "Verify10",
            "Verify12", "Verify16", "WriteVerify10", "WriteVerify12", "WriteVerify16", "ModeSense6",
            "ReportSupportedOpcodes", "iSCSIcmdsn", "iSCSIdatasn", "iSCSIResiduals", "iSCSITMF");

    private final String label;
    private final Path logDir;
    private final Duration perTest;
    private final ToolDefects defects;
    private Predicate<String> expectedToHang = t -> false;
    private Duration hangLimit;

    /** LABEL prefixes every printed line (configurations may run side by side). */
    public CuRunner(String label, Path logDir, Duration perTest, ToolDefects defects) {
        this.label = label;
        this.logDir = logDir;
        this.perTest = perTest;
        this.defects = defects;
        this.hangLimit = perTest;
    }

    /**
     * Tests the ledger expects to time out get LIMIT instead of the full per-test time: a known hang should not
     * cost minutes in every configuration, and one that got fixed still finishes well within LIMIT.
     */
    public CuRunner expectingHangs(Predicate<String> tests, Duration limit) {
        this.expectedToHang = tests;
        this.hangLimit = limit;
        return this;
    }

    /** Every FAMILY.Suite.Test the installed tool knows, in its order. */
    public static List<String> listAll() {
        ToolResult list = Tools.run(Duration.ofSeconds(30), "iscsi-test-cu", "--list");
        if (!list.ok()) throw new IllegalStateException("iscsi-test-cu --list failed: " + list.describe());
        return list.stdout().lines().map(String::strip)
                .filter(l -> l.startsWith(FAMILY + ".") && l.split("\\.").length == 3).toList();
    }

    /** The tests of the given suites (ALL.Suite.*), in the tool's order. */
    public static List<String> select(List<String> all, Collection<String> suites) {
        return all.stream().filter(t -> t.startsWith(FAMILY + ".") && suites.contains(t.split("\\.")[1])).toList();
    }

    /**
     * Runs the tests against URL (and MULTIPATH_URL, the same LUN through another portal, when not null) and
     * returns their results in the given order; tests not started by DEADLINE count as TIMEOUT.
     */
    public Map<String, CuResult> run(List<String> tests, String url, String multipathUrl, Instant deadline) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, CuResult> results = new LinkedHashMap<>();
        for (String test : tests) {
            CuResult result;
            Instant start = Instant.now();
            if (start.isAfter(deadline)) {
                result = new CuResult(test, CuOutcome.TIMEOUT, "not started: the run's time budget was used up");
            } else {
                result = runOne(test, url, multipathUrl, Duration.between(start, deadline));
            }
            result = defects.annotate(result).withSeconds(Duration.between(start, Instant.now()).toMillis() / 1000.0);
            results.put(test, result);
            System.out.printf("cu %s %-7s %6.1fs %s%s%n", label, result.outcome(), result.seconds(), test,
                    result.reason().isEmpty() ? "" : "  (" + result.reason() + ")");
        }
        return results;
    }

    private CuResult runOne(String test, String url, String multipathUrl, Duration left) {
        String spec = defects.runWithSuite(test) ? test.substring(0, test.lastIndexOf('.')) : test;
        List<String> command = new ArrayList<>();
        // line-buffered output, so a crash of the tool loses nothing of what the test said
        if (Tools.which("stdbuf").isPresent()) command.addAll(List.of("stdbuf", "-oL", "-eL"));
        command.addAll(List.of("iscsi-test-cu", "-d", "-S", "-i", INITIATOR, "-I", SECOND_INITIATOR, "-t", spec,
                url));
        if (multipathUrl != null) command.add(multipathUrl);
        Duration own = expectedToHang.test(test) ? hangLimit : perTest;
        Duration limit = left.compareTo(own) < 0 ? left : own;
        ToolResult run = Tools.run(limit, command);
        try {
            Files.writeString(logDir.resolve(test + ".log"),
                    "# " + String.join(" ", command) + "\n" + run.output()
                            + (run.timedOut() ? "\n# killed after " + limit.toSeconds() + " s\n"
                                    : "\n# exit " + run.exitCode() + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CuLogParser.parse(FAMILY, List.of(test), run.output(), run.exitCode(),
                run.timedOut() ? CuLogParser.RunEnd.TIMED_OUT : CuLogParser.RunEnd.EXITED).get(test);
    }

    /** "cu: pass=N fail=N skip=N timeout=N" (timeout counts TIMEOUT and CRASH) plus the total. */
    public static String totals(Collection<CuResult> results) {
        Map<CuOutcome, Integer> n = new EnumMap<>(CuOutcome.class);
        for (CuOutcome o : CuOutcome.values()) n.put(o, 0);
        results.forEach(r -> n.merge(r.outcome(), 1, Integer::sum));
        return String.format("cu: pass=%d fail=%d skip=%d timeout=%d total=%d%s", n.get(CuOutcome.PASS),
                n.get(CuOutcome.FAIL), n.get(CuOutcome.SKIP), n.get(CuOutcome.TIMEOUT) + n.get(CuOutcome.CRASH),
                results.size(), n.get(CuOutcome.CRASH) > 0 ? " (crash=" + n.get(CuOutcome.CRASH) + ")" : "");
    }

    /** Writes test, outcome, reason rows to FILE. */
    public static void writeTsv(Path file, Collection<CuResult> results) {
        StringBuilder sb = new StringBuilder("test\toutcome\tseconds\treason\n");
        for (CuResult r : results) {
            sb.append(r.test()).append('\t').append(r.outcome()).append('\t')
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append('\t')
                    .append(r.reason().replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        try {
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The ledger lines this run would need (every test that did not pass, with its reason), for tightening
     * cu-ledger.tsv by hand after an improvement: entries there are grouped and worded for people.
     */
    public static void writeLedgerSuggestion(Path file, String configuration, Collection<CuResult> results) {
        StringBuilder sb = new StringBuilder("# what " + configuration + " did in this run; not a ledger by itself\n");
        for (CuResult r : results) {
            if (r.outcome() == CuOutcome.PASS) continue;
            sb.append(configuration).append('/').append(r.test()).append('\t').append(r.outcome()).append('\t')
                    .append(r.reason().replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        try {
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

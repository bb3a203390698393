package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.cu.CuOutcome;
import io.jctl.it.cu.CuResult;
import io.jctl.it.cu.CuRunner;
import io.jctl.it.cu.Ledger;
import io.jctl.it.cu.LunConfiguration;
import io.jctl.it.cu.ToolDefects;
import io.jctl.it.support.Daemon;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libiscsi's iscsi-test-cu, every test of its ALL family one by one, against LUN 0 in each {@link LunConfiguration}.
 * Outcomes are held against cu-ledger.tsv: doing worse than the ledger fails, doing better is printed so the
 * ledger can be tightened.
 *
 * <p>-Djctl.it.cu.filter=REGEX runs only the tests whose full name (ALL.Suite.Test) matches, for example
 * {@code ^ALL\.Read10\.} for one family or {@code ^ALL\.Read10\.Simple$} for one test;
 * -Djctl.it.cu.configurations=ramdisk,block picks configurations.
 */
class LibiscsiConformanceTest {

    /**
     * A test takes 0.05 to 7 s on a loaded 2-core machine (COMPARE AND WRITE, 4096-byte VERIFY the longest); some
     * have taken 20 s at load 24, so the limit only has to catch a hang.
     */
    private static final Duration PER_TEST = Duration.ofSeconds(90);
    /** For a test the ledger expects to hang: enough for a fixed one to finish, little to lose on a hang. */
    private static final Duration KNOWN_HANG = Duration.ofSeconds(20);
    /** One configuration: 230 tests take 1.5 to 2.7 minutes at load 20 (docs/testing.md); bounds a sick daemon. */
    private static final Duration PER_CONFIGURATION = Duration.ofMinutes(6);
    /** All configurations together, so that a daemon that hangs on everything cannot eat the CI budget. */
    private static final Duration WHOLE_RUN = Duration.ofMinutes(22);
    private static Instant wholeRunDeadline;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(LunConfiguration.class)
    void everyTestDoesNoWorseThanTheLedger(LunConfiguration configuration) throws IOException {
        Tools.assumeInstalled("iscsi-test-cu");
        String only = System.getProperty("jctl.it.cu.configurations", "");
        Assumptions.assumeTrue(only.isEmpty() || Arrays.asList(only.split(",")).contains(configuration.label),
                "configuration " + configuration.label + " not selected by -Djctl.it.cu.configurations=" + only);
        List<String> all = CuRunner.listAll();
        List<String> tests = all;
        String filter = System.getProperty("jctl.it.cu.filter", "");
        if (!filter.isEmpty()) {
            Pattern p = Pattern.compile(filter);
            tests = tests.stream().filter(t -> p.matcher(t).find()).toList();
        }
        assertFalse(tests.isEmpty(), "no iscsi-test-cu test selected (filter '" + filter + "')");

        Ledger ledger = Ledger.load();
        Instant start = Instant.now();
        Instant deadline = deadline(start);
        Path logDir = Daemon.logDir().resolve("cu").resolve(configuration.label);
        Map<String, CuResult> results;
        try (LunConfiguration.Served served = configuration.start(tmp,
                "LibiscsiConformanceTest." + configuration.label)) {
            CuRunner runner = new CuRunner(configuration.label, logDir, PER_TEST, ToolDefects.load())
                    .expectingHangs(t -> ledger.expected(configuration.label, t) == CuOutcome.TIMEOUT, KNOWN_HANG);
            results = runner.run(tests, served.url(), served.multipathUrl(), deadline);
            assertTrue(served.daemon().isAlive(), "the daemon died during the libiscsi run\n"
                    + served.daemon().logTail());
        }
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        CuRunner.writeTsv(logDir.resolve("results.tsv"), results.values());

        Ledger.Verdict verdict = ledger.compare(configuration.label, results.values(), all,
                LunConfiguration.labels());
        String totals = configuration.label + " " + CuRunner.totals(results.values());
        System.out.printf(Locale.ROOT, "%s in %.0f s%n", totals, seconds);
        appendSummary(String.format(Locale.ROOT, "%s in %.0f s (load average %s)%n", totals, seconds,
                loadAverage()));
        CuRunner.writeLedgerSuggestion(logDir.resolve("ledger-suggestion.tsv"), configuration.label,
                results.values());
        verdict.improvements().forEach(i -> System.out.println("cu improvement: " + i));
        verdict.staleEntries().forEach(s -> System.out.println("cu ledger entry that matches nothing: " + s));
        List<String> unknownConfigurations = verdict.staleEntries().stream()
                .filter(s -> s.endsWith("(no such configuration)")).toList();
        if (!verdict.regressions().isEmpty() || !unknownConfigurations.isEmpty()) {
            fail(verdict.regressions().size() + " libiscsi test(s) did worse than cu-ledger.tsv (logs in " + logDir
                    + "):\n  " + String.join("\n  ", verdict.regressions())
                    + (unknownConfigurations.isEmpty() ? ""
                            : "\ncu-ledger.tsv names unknown configurations:\n  "
                                    + String.join("\n  ", unknownConfigurations)));
        }
    }

    private static synchronized Instant deadline(Instant now) {
        if (wholeRunDeadline == null) wholeRunDeadline = now.plus(WHOLE_RUN);
        Instant own = now.plus(PER_CONFIGURATION);
        return own.isBefore(wholeRunDeadline) ? own : wholeRunDeadline;
    }

    private static synchronized void appendSummary(String line) throws IOException {
        Files.writeString(Daemon.logDir().resolve("cu").resolve("summary.txt"), line, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}

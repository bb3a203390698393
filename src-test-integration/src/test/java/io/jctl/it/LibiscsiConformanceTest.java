package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.cu.CuResult;
import io.jctl.it.cu.CuRunner;
import io.jctl.it.cu.Ledger;
import io.jctl.it.cu.ToolDefects;
import io.jctl.it.support.Daemon;
import io.jctl.it.support.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * libiscsi's iscsi-test-cu, test by test, against LUN 0 of the embedded default target (a 1 GiB RAM disk), for
 * the families the foundation must pass. Outcomes are held against cu-ledger.tsv: doing worse than the ledger
 * fails, doing better is printed so the ledger can be tightened.
 *
 * <p>-Djctl.it.cu.filter=REGEX runs only the tests whose full name (ALL.Suite.Test) matches, for example
 * {@code ALL\.Read10\.} for one family or {@code ALL\.Read10\.Simple} for one test.
 */
class LibiscsiConformanceTest {

    private static final Duration PER_TEST = Duration.ofSeconds(30);
    private static final Duration BUDGET = Duration.ofMinutes(6);

    @Test
    void foundationFamiliesDoNoWorseThanTheLedger(TestInfo test) {
        Tools.assumeInstalled("iscsi-test-cu");
        List<String> all = CuRunner.listAll();
        List<String> tests = CuRunner.select(all, CuRunner.FOUNDATION_SUITES);
        String filter = System.getProperty("jctl.it.cu.filter", "");
        if (!filter.isEmpty()) {
            Pattern p = Pattern.compile(filter);
            tests = tests.stream().filter(t -> p.matcher(t).find()).toList();
        }
        assertFalse(tests.isEmpty(), "no iscsi-test-cu test selected (filter '" + filter + "')");

        Path logDir = Daemon.logDir().resolve("cu");
        Map<String, CuResult> results;
        try (Daemon daemon = Daemon.start(test)) {
            CuRunner runner = new CuRunner(logDir, Daemon.TEST_INITIATOR, PER_TEST, BUDGET, ToolDefects.load());
            results = runner.run(tests, daemon.url(0));
            assertTrue(daemon.isAlive(), "the daemon died during the libiscsi run\n" + daemon.logTail());
        }
        CuRunner.writeTsv(logDir.resolve("results.tsv"), results.values());

        Ledger.Verdict verdict = Ledger.load().compare(results.values(), all);
        System.out.println(CuRunner.totals(results.values()));
        verdict.improvements().forEach(i -> System.out.println("cu improvement: " + i));
        verdict.staleEntries().forEach(s -> System.out.println("cu ledger entry for a test this tool lacks: " + s));
        if (!verdict.regressions().isEmpty()) {
            fail(verdict.regressions().size() + " libiscsi test(s) did worse than cu-ledger.tsv (logs in " + logDir
                    + "):\n  " + String.join("\n  ", verdict.regressions()));
        }
    }
}

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
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libiscsi's iscsi-test-cu, test by test, against LUN 0 of the default target in each LUN configuration, for the
 * families the foundation must pass. Outcomes are held against cu-ledger.tsv: doing worse than the ledger fails,
 * doing better is printed so the ledger can be tightened.
 *
 * <p>-Djctl.it.cu.filter=REGEX runs only the tests whose full name (ALL.Suite.Test) matches, for example
 * {@code ^ALL\.Read10\.} for one family or {@code ^ALL\.Read10\.Simple$} for one test;
 * -Djctl.it.cu.configurations=ramdisk,block picks configurations.
 */
class LibiscsiConformanceTest {

    /**
     * A test takes 0.1 to 3 s on an idle 2-core machine (VERIFY with BYTCHK the longest); under heavy load it has
     * taken over 30 s, so the limit only has to catch a hang. The budget bounds a run against a daemon that hangs on
     * everything: about 2 minutes is normal per configuration.
     */
    private static final Duration PER_TEST = Duration.ofSeconds(120);
    private static final Duration BUDGET = Duration.ofMinutes(8);
    private static final long LUN_SIZE = 1L << 30;

    /** The LUN 0 the tests run against. */
    enum LunConfiguration {
        /** The embedded default: a 1 GiB RAM disk of 512-byte blocks. */
        RAMDISK("ramdisk", null),
        /**
         * A 1 GiB sparse file through the block backend. 512-byte blocks: the Verify and WriteVerify tests move
         * data in proportion to the block size, and with 4096-byte blocks they took minutes on a loaded 2-core host.
         */
        BLOCK("block", """
                lun:
                  scratch:
                    backend: block
                    path: @FILE@
                    size: auto
                    blocksize: 512
                target:
                  iqn.2026-11.io.jctl:target0:
                    auth-group: no-authentication
                    portal-group: default
                    lun:
                      0: scratch
                """);

        final String label;
        final String config;

        LunConfiguration(String label, String config) {
            this.label = label;
            this.config = config;
        }

        Daemon start(Path tmp) throws IOException {
            if (config == null) return Daemon.start("LibiscsiConformanceTest." + label, null);
            Path file = tmp.resolve(label + ".img");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(LUN_SIZE);
            }
            return Daemon.start("LibiscsiConformanceTest." + label, config.replace("@FILE@", file.toString()));
        }
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(LunConfiguration.class)
    void foundationFamiliesDoNoWorseThanTheLedger(LunConfiguration configuration) throws IOException {
        Tools.assumeInstalled("iscsi-test-cu");
        String only = System.getProperty("jctl.it.cu.configurations", "");
        Assumptions.assumeTrue(only.isEmpty() || Arrays.asList(only.split(",")).contains(configuration.label),
                "configuration " + configuration.label + " not selected by -Djctl.it.cu.configurations=" + only);
        List<String> all = CuRunner.listAll();
        List<String> tests = CuRunner.select(all, CuRunner.FOUNDATION_SUITES);
        String filter = System.getProperty("jctl.it.cu.filter", "");
        if (!filter.isEmpty()) {
            Pattern p = Pattern.compile(filter);
            tests = tests.stream().filter(t -> p.matcher(t).find()).toList();
        }
        assertFalse(tests.isEmpty(), "no iscsi-test-cu test selected (filter '" + filter + "')");

        Path logDir = Daemon.logDir().resolve("cu").resolve(configuration.label);
        Map<String, CuResult> results;
        try (Daemon daemon = configuration.start(tmp)) {
            CuRunner runner = new CuRunner(logDir, Daemon.TEST_INITIATOR, PER_TEST, BUDGET, ToolDefects.load());
            results = runner.run(tests, daemon.url(0));
            assertTrue(daemon.isAlive(), "the daemon died during the libiscsi run\n" + daemon.logTail());
        }
        CuRunner.writeTsv(logDir.resolve("results.tsv"), results.values());

        Ledger.Verdict verdict = Ledger.load().compare(configuration.label, results.values(), all);
        System.out.println(configuration.label + " " + CuRunner.totals(results.values()));
        verdict.improvements().forEach(i -> System.out.println("cu improvement: " + i));
        verdict.staleEntries().forEach(s -> System.out.println("cu ledger entry for a test this tool lacks: " + s));
        if (!verdict.regressions().isEmpty()) {
            fail(verdict.regressions().size() + " libiscsi test(s) did worse than cu-ledger.tsv (logs in " + logDir
                    + "):\n  " + String.join("\n  ", verdict.regressions()));
        }
    }
}

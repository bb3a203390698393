package io.jctl.it.cu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The expected outcome of every libiscsi test per LUN configuration (cu-ledger.tsv: CONFIGURATION/TEST, expected
 * outcome, reason). A test no entry covers is expected to PASS. The ledger records what the daemon really does
 * today; a test that does worse is a regression and fails the build, one that does better is reported so the
 * entry can be tightened.
 *
 * <p>So that one missing feature is one line, an entry may cover more than one test: CONFIGURATION may be
 * {@code *} (every configuration) and TEST may name a whole suite as {@code ALL.Suite.*}. The most specific entry
 * wins: configuration/test, then configuration/suite, then * /test, then * /suite.
 */
public final class Ledger {

    public static final String ANY_CONFIGURATION = "*";

    public record Entry(String key, CuOutcome expected, String note) {
    }

    /** The comparison of one run with the ledger. */
    public record Verdict(List<String> regressions, List<String> improvements, List<String> staleEntries) {
    }

    private final Map<String, Entry> entries;

    private Ledger(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static Ledger load() {
        try (InputStream in = Ledger.class.getResourceAsStream("/cu-ledger.tsv")) {
            if (in == null) throw new IllegalStateException("cu-ledger.tsv missing from the test resources");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Ledger parse(String tsv) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : tsv.split("\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", 3);
            int slash = f[0].indexOf('/');
            if (f.length < 2 || slash <= 0 || f[0].substring(slash + 1).split("\\.").length != 3) {
                throw new IllegalArgumentException("cu-ledger.tsv line " + lineNo
                        + ": need configuration/ALL.Suite.Test (or */..., ALL.Suite.*)<TAB>outcome[<TAB>reason]");
            }
            CuOutcome expected;
            try {
                expected = CuOutcome.valueOf(f[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cu-ledger.tsv line " + lineNo + ": unknown outcome " + f[1], e);
            }
            String key = f[0].strip();
            if (entries.put(key, new Entry(key, expected, f.length > 2 ? f[2].strip() : "")) != null) {
                throw new IllegalArgumentException("cu-ledger.tsv line " + lineNo + ": duplicate entry " + key);
            }
        }
        return new Ledger(entries);
    }

    /** The entry that governs TEST in CONFIGURATION, if any (the most specific one). */
    public Optional<Entry> entryFor(String configuration, String test) {
        String suite = test.substring(0, test.lastIndexOf('.')) + ".*";
        for (String key : List.of(configuration + "/" + test, configuration + "/" + suite,
                ANY_CONFIGURATION + "/" + test, ANY_CONFIGURATION + "/" + suite)) {
            Entry e = entries.get(key);
            if (e != null) return Optional.of(e);
        }
        return Optional.empty();
    }

    public CuOutcome expected(String configuration, String test) {
        return entryFor(configuration, test).map(Entry::expected).orElse(CuOutcome.PASS);
    }

    /** The reason the ledger gives for TEST in CONFIGURATION ("" when it is expected to pass). */
    public String reason(String configuration, String test) {
        return entryFor(configuration, test).map(Entry::note).orElse("");
    }

    /**
     * RESULTS of a run against CONFIGURATION, held against the ledger; TESTS_OF_THE_TOOL (every test the installed
     * tool knows) and CONFIGURATIONS (every configuration the rig has) find entries that no longer mean anything.
     */
    public Verdict compare(String configuration, Collection<CuResult> results, Collection<String> testsOfTheTool,
            Set<String> configurations) {
        List<String> regressions = new ArrayList<>();
        List<String> improvements = new ArrayList<>();
        for (CuResult r : results) {
            Optional<Entry> entry = entryFor(configuration, r.test());
            CuOutcome expected = entry.map(Entry::expected).orElse(CuOutcome.PASS);
            String name = configuration + "/" + r.test();
            if (r.outcome().worseThan(expected)) {
                regressions.add(name + ": expected " + expected + ", got " + r.outcome() + " - " + r.reason());
            } else if (r.outcome().betterThan(expected)) {
                String key = entry.map(Entry::key).orElseThrow();
                String action = key.equals(name)
                        ? (r.outcome() == CuOutcome.PASS ? "remove the entry" : "tighten the entry")
                        : "entry " + key + " covers it: give this test its own entry or narrow that one";
                improvements.add(name + ": ledger says " + expected + ", got " + r.outcome()
                        + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")") + " - " + action);
            }
        }
        List<String> stale = new ArrayList<>();
        for (String key : entries.keySet()) {
            String config = key.substring(0, key.indexOf('/'));
            String test = key.substring(key.indexOf('/') + 1);
            if (!config.equals(ANY_CONFIGURATION) && !configurations.contains(config)) {
                stale.add(key + " (no such configuration)");
            } else if ((config.equals(configuration) || config.equals(ANY_CONFIGURATION)) && !known(test, testsOfTheTool)) {
                stale.add(key + " (the tool has no such test)");
            }
        }
        return new Verdict(regressions, improvements, stale);
    }

    private static boolean known(String test, Collection<String> testsOfTheTool) {
        if (!test.endsWith(".*")) return testsOfTheTool.contains(test);
        String prefix = test.substring(0, test.length() - 1);
        return testsOfTheTool.stream().anyMatch(t -> t.startsWith(prefix));
    }
}

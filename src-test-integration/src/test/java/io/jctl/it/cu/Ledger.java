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

/**
 * The expected outcome of every libiscsi test per LUN configuration (cu-ledger.tsv: CONFIGURATION/TEST, expected
 * outcome, note). A test absent from the ledger is expected to PASS. The ledger records what the daemon really does
 * today; a test that does worse is a regression and fails the build, one that does better is reported so the
 * entry can be tightened.
 */
public final class Ledger {

    public record Entry(String test, CuOutcome expected, String note) {
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
            if (f.length < 2 || !f[0].contains("/")) {
                throw new IllegalArgumentException("cu-ledger.tsv line " + lineNo
                        + ": need configuration/test<TAB>outcome[<TAB>note]");
            }
            CuOutcome expected;
            try {
                expected = CuOutcome.valueOf(f[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cu-ledger.tsv line " + lineNo + ": unknown outcome " + f[1], e);
            }
            if (entries.put(f[0].strip(), new Entry(f[0].strip(), expected, f.length > 2 ? f[2].strip() : "")) != null) {
                throw new IllegalArgumentException("cu-ledger.tsv line " + lineNo + ": duplicate entry " + f[0]);
            }
        }
        return new Ledger(entries);
    }

    public CuOutcome expected(String configuration, String test) {
        Entry e = entries.get(configuration + "/" + test);
        return e == null ? CuOutcome.PASS : e.expected();
    }

    /** RESULTS of a run against CONFIGURATION, held against the ledger; TESTS_OF_THE_TOOL finds stale entries. */
    public Verdict compare(String configuration, Collection<CuResult> results, Collection<String> testsOfTheTool) {
        List<String> regressions = new ArrayList<>();
        List<String> improvements = new ArrayList<>();
        for (CuResult r : results) {
            String key = configuration + "/" + r.test();
            CuOutcome expected = expected(configuration, r.test());
            if (r.outcome().worseThan(expected)) {
                regressions.add(key + ": expected " + expected + ", got " + r.outcome() + " - " + r.reason());
            } else if (r.outcome().betterThan(expected)) {
                improvements.add(key + ": ledger says " + expected + ", got " + r.outcome()
                        + (r.outcome() == CuOutcome.PASS ? " (remove the entry)" : " (tighten the entry)"));
            }
        }
        String prefix = configuration + "/";
        List<String> stale = entries.keySet().stream()
                .filter(k -> k.startsWith(prefix) && !testsOfTheTool.contains(k.substring(prefix.length())))
                .toList();
        return new Verdict(regressions, improvements, stale);
    }
}

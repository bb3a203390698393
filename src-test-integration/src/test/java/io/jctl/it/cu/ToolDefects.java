package io.jctl.it.cu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Defects of iscsi-test-cu itself (libiscsi 1.19 on Debian 12), read from cu-tool-defects.tsv: how to run the
 * affected test so the target is what gets judged, and a note appended to its reason when it does not pass.
 */
public final class ToolDefects {

    /** How the runner treats a defective test. */
    public enum Handling {
        /** Only append the note to a non-PASS reason. */
        ANNOTATE,
        /** Run the test's whole suite in one process (the order the tool needs) and take this test's verdict. */
        RUN_WITH_SUITE
    }

    public record Defect(String test, Set<Handling> handling, String note) {
    }

    private final Map<String, Defect> defects;

    private ToolDefects(Map<String, Defect> defects) {
        this.defects = defects;
    }

    public static ToolDefects load() {
        try (InputStream in = ToolDefects.class.getResourceAsStream("/cu-tool-defects.tsv")) {
            if (in == null) throw new IllegalStateException("cu-tool-defects.tsv missing from the test resources");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ToolDefects parse(String tsv) {
        Map<String, Defect> defects = new LinkedHashMap<>();
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", 3);
            if (f.length != 3) throw new IllegalArgumentException("cu-tool-defects.tsv: need 3 columns: " + line);
            Set<Handling> handling = EnumSet.noneOf(Handling.class);
            for (String h : f[1].split(",")) handling.add(Handling.valueOf(h.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
            defects.put(f[0], new Defect(f[0], handling, f[2].strip()));
        }
        return new ToolDefects(defects);
    }

    public boolean runWithSuite(String test) {
        Defect d = defects.get(test);
        return d != null && d.handling().contains(Handling.RUN_WITH_SUITE);
    }

    /** The result with the defect note appended when the test did not pass. */
    public CuResult annotate(CuResult result) {
        Defect d = defects.get(result.test());
        if (d == null || result.outcome() == CuOutcome.PASS) return result;
        String reason = result.reason() + (result.reason().isEmpty() ? "" : "; ") + "[tool defect: " + d.note() + "]";
        return result.withReason(reason);
    }
}

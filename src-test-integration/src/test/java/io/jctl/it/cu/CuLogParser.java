package io.jctl.it.cu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies the tests of one iscsi-test-cu run from its output (CUnit's verbose "basic" runner).
 *
 * <p>CUnit prints "Suite: S", then per test "  Test: T ..." followed by whatever the test logs, then "passed" or
 * "FAILED" at the start of a line (libiscsi ends every message with a newline), then one line per failed assert
 * ("    1. file.c:LINE  - CONDITION"). A test whose verdict never appears did not finish: the run timed out or the
 * tool died. Text after the verdict belongs to the test's teardown and only becomes a note.
 */
public final class CuLogParser {

    private static final Pattern TEST_START = Pattern.compile("^  Test: (\\S+) \\.\\.\\.(.*)$");
    private static final Pattern SUITE_START = Pattern.compile("^Suite: (\\S+)\\s*$");
    private static final Pattern SUITE_INIT_FAILED = Pattern.compile("^WARNING - Suite initialization failed for '([^']+)'");
    private static final Pattern FAILED_ASSERT = Pattern.compile("^    \\d+\\. (\\S+:\\d+  - .*)$");
    private static final Pattern VERDICT = Pattern.compile("^(passed|FAILED)(.*)$");
    private static final int REASON_LIMIT = 300;

    private CuLogParser() {
    }

    /** How the tool's process ended. */
    public enum RunEnd { EXITED, TIMED_OUT }

    /**
     * @param family  the family prefix the tests were selected with (ALL): CUnit prints only suite and test names
     * @param wanted  the full test names (FAMILY.Suite.Test) the run was asked for; each gets a result
     * @param log     the tool's output
     * @param exitCode the tool's exit status (128+N when killed by signal N)
     */
    public static Map<String, CuResult> parse(String family, List<String> wanted, String log, int exitCode,
            RunEnd end) {
        Map<String, Seen> seen = new LinkedHashMap<>();
        List<String> initFailed = new ArrayList<>();
        String suite = "";
        Seen current = null;
        for (String raw : log.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            Matcher m;
            if ((m = SUITE_START.matcher(line)).find()) {
                suite = m.group(1);
                current = null;
            } else if ((m = TEST_START.matcher(line)).find()) {
                current = new Seen(family + "." + suite + "." + m.group(1));
                seen.put(current.name, current);
                current.line(m.group(2));
            } else if ((m = SUITE_INIT_FAILED.matcher(line)).find()) {
                initFailed.add(family + "." + m.group(1) + ".");
                current = null;
            } else if (line.startsWith("Run Summary:")) {
                current = null;
            } else if (current != null) {
                current.line(line);
            }
        }
        Map<String, CuResult> results = new LinkedHashMap<>();
        for (String test : wanted) {
            Seen s = seen.get(test);
            if (s != null) {
                results.put(test, s.result(exitCode, end));
            } else if (initFailed.stream().anyMatch(test::startsWith)) {
                results.put(test, new CuResult(test, CuOutcome.FAIL, "suite init failed (login or setup)"));
            } else if (end == RunEnd.TIMED_OUT) {
                results.put(test, new CuResult(test, CuOutcome.TIMEOUT, "never started: " + howEnded(exitCode, end)
                        + lastWords(log)));
            } else {
                results.put(test, new CuResult(test, CuOutcome.CRASH, "not reported by the tool: "
                        + howEnded(exitCode, end) + lastWords(log)));
            }
        }
        return results;
    }

    static String howEnded(int exitCode, RunEnd end) {
        if (end == RunEnd.TIMED_OUT) return "killed by the timeout";
        if (exitCode > 128 && exitCode < 160) return "died with signal " + (exitCode - 128);
        return "exited with status " + exitCode;
    }

    private static String lastWords(String log) {
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : "; last output: " + clip(lines.get(lines.size() - 1).strip());
    }

    private static String clip(String s) {
        return s.length() <= REASON_LIMIT ? s : s.substring(0, REASON_LIMIT) + "...";
    }

    /** What the log showed about one test. */
    private static final class Seen {
        final String name;
        String verdict;
        String skipMessage;
        String failMessage;
        String firstAssert;
        int failedAsserts;
        String lastOutput = "";
        String teardownNote;

        Seen(String name) {
            this.name = name;
        }

        void line(String line) {
            Matcher m;
            if (verdict != null) {
                if ((m = FAILED_ASSERT.matcher(line)).find()) {
                    failedAsserts++;
                    // teardown output has no leading newline, so it may be glued to the last assert line
                    String assertion = m.group(1);
                    int glued = firstTag(assertion);
                    if (glued >= 0) {
                        if (teardownNote == null) teardownNote = assertion.substring(glued).strip();
                        assertion = assertion.substring(0, glued);
                    }
                    if (firstAssert == null) firstAssert = assertion.strip();
                } else if (teardownNote == null && (line.contains("[FAILED]") || line.contains("[SKIPPED]"))) {
                    teardownNote = line.strip();
                }
                return;
            }
            if ((m = VERDICT.matcher(line.stripLeading())).find() && line.stripLeading().equals(line)) {
                verdict = m.group(1);
                if (!m.group(2).isBlank()) line(m.group(2));
                return;
            }
            if (line.isBlank()) return;
            lastOutput = line.strip();
            if (skipMessage == null && line.contains("[SKIPPED]")) {
                skipMessage = line.substring(line.indexOf("[SKIPPED]") + 9).replaceFirst("^[ :]+", "").strip();
            } else if (skipMessage == null && line.toLowerCase(Locale.ROOT).contains("not implemented")) {
                skipMessage = line.strip();
            }
            if (failMessage == null && line.contains("[FAILED]")) {
                failMessage = line.substring(line.indexOf("[FAILED]") + 8).replaceFirst("^[ :]+", "").strip();
            }
        }

        private static int firstTag(String text) {
            int skipped = text.indexOf("[SKIPPED]");
            int failed = text.indexOf("[FAILED]");
            if (skipped < 0) return failed;
            return failed < 0 ? skipped : Math.min(skipped, failed);
        }

        CuResult result(int exitCode, RunEnd end) {
            // output that lacked its final newline glues the verdict to the last message
            if (verdict == null && (lastOutput.endsWith("passed") || lastOutput.endsWith("FAILED"))) {
                verdict = lastOutput.substring(lastOutput.length() - 6);
            }
            CuOutcome outcome;
            String reason;
            if ("passed".equals(verdict)) {
                outcome = skipMessage != null ? CuOutcome.SKIP : CuOutcome.PASS;
                reason = skipMessage != null ? skipMessage : "";
            } else if ("FAILED".equals(verdict)) {
                outcome = CuOutcome.FAIL;
                StringBuilder r = new StringBuilder();
                if (failMessage != null) r.append(failMessage);
                if (firstAssert != null) r.append(r.length() > 0 ? " | " : "").append(firstAssert);
                if (failedAsserts > 1) r.append(" (+").append(failedAsserts - 1).append(" more failed asserts)");
                reason = r.toString();
            } else {
                outcome = end == RunEnd.TIMED_OUT ? CuOutcome.TIMEOUT : CuOutcome.CRASH;
                reason = howEnded(exitCode, end) + (lastOutput.isEmpty() ? "" : "; last output: " + lastOutput);
            }
            // exit status 1 only says some test failed; a signal or the timeout after the verdict is worth a note
            if (verdict != null && (end == RunEnd.TIMED_OUT || exitCode > 128)) {
                reason += (reason.isEmpty() ? "" : "; ") + "note: after its verdict the tool "
                        + howEnded(exitCode, end);
            }
            // on a pass the teardown's chatter (libiscsi probes PERSISTENT RESERVE IN there) only adds noise
            if (teardownNote != null && outcome != CuOutcome.PASS) {
                reason += (reason.isEmpty() ? "" : "; ") + "teardown said: " + teardownNote;
            }
            return new CuResult(name, outcome, clip(reason));
        }
    }
}

package io.jctl.it.support;

import java.util.List;

/** What one external command did: its exit status (or that it ran out of time) and its output. */
public record ToolResult(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** Both streams, stdout first: what a person would have seen in a terminal, roughly. */
    public String output() {
        if (stderr.isEmpty()) return stdout;
        if (stdout.isEmpty()) return stderr;
        return stdout + (stdout.endsWith("\n") ? "" : "\n") + stderr;
    }

    /** A failure message that carries everything needed to understand the failure without re-running. */
    public String describe() {
        String status = timedOut ? "timed out" : "exit " + exitCode;
        return String.join(" ", command) + " -> " + status + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}

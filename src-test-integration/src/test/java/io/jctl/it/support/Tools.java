package io.jctl.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs external programs (initiator tools, the CLIs) with a deadline and captured output. */
public final class Tools {

    private Tools() {
    }

    /**
     * True when a missing tool must fail the test instead of skipping it: in CI (environment CI=true, set by
     * .ci/run, which installs every tool) or with -Djctl.it.requireTools=true.
     */
    public static boolean toolsRequired() {
        return Boolean.getBoolean("jctl.it.requireTools") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static Optional<Path> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Skips the calling test (or fails it where tools are required) unless every program is on PATH. */
    public static void assumeInstalled(String... programs) {
        List<String> missing = Arrays.stream(programs).filter(p -> which(p).isEmpty()).toList();
        if (missing.isEmpty()) return;
        String reason = "not installed: " + String.join(", ", missing)
                + " (Debian: apt-get install libiscsi-bin qemu-utils qemu-block-extra sg3-utils; .ci/run does it)";
        if (toolsRequired()) fail(reason + " - required because CI=true or -Djctl.it.requireTools=true");
        System.err.println("SKIPPED: " + reason);
        Assumptions.assumeTrue(false, reason);
    }

    /** Runs the command to completion or until the timeout, whatever its exit status. */
    public static ToolResult run(Duration timeout, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jctl-it-out", ".txt");
            err = Files.createTempFile("jctl-it-err", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new ToolResult(List.copyOf(command), finished ? process.exitValue() : -1, !finished,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    public static ToolResult run(Duration timeout, String... command) {
        return run(timeout, Arrays.asList(command));
    }

    /** Runs the command and fails the test, showing the whole output, unless it exits 0 in time. */
    public static ToolResult check(Duration timeout, String... command) {
        ToolResult result = run(timeout, command);
        if (!result.ok()) fail(result.describe());
        return result;
    }

    /** The java launcher of the JVM running the tests, so children run on the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The classpath of the tests: it holds every jctl module and its dependencies. */
    public static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** A java command line that starts MAIN_CLASS from the test classpath with quick-start JVM flags. */
    public static List<String> javaCommand(String mainClass, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(testClasspath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless; the result is what matters
        }
    }
}

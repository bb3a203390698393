package io.jctl.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;

/**
 * The real daemon ({@code io.jctl.ctld.Main}) as a separate process from the test classpath, on a free loopback
 * port with its own control socket and state directory. Its stdout and stderr go to target/it-logs/NAME.log.
 * {@link #close()} stops it with SIGTERM and fails unless it exits 0 in time, with no unexpected ERROR line and no
 * Netty "LEAK:" report (it runs with leak detection at PARANOID).
 */
public final class Daemon implements AutoCloseable {

    /** The target the embedded default configuration serves. */
    public static final String DEFAULT_TARGET = "iqn.2026-11.io.jctl:target0";
    public static final String TEST_INITIATOR = "iqn.2026-11.io.jctl.test:init1";

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CTLADM_DEADLINE = Duration.ofSeconds(30);
    /** The level column of the daemon's log pattern (timestamp, level, ...), or an uncaught exception's report. */
    private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s|^ERROR\\s|^Exception in thread ");
    private static final Pattern LEAK_LINE = Pattern.compile("LEAK:");
    private static final Map<String, Integer> LOG_NAMES = new ConcurrentHashMap<>();

    private final String name;
    private final Path workDir;
    private final Path controlSocket;
    private final Path stateDir;
    private final Path logFile;
    private final int port;
    private final List<Pattern> expectedErrors = new ArrayList<>();
    private Process process;
    /** The configuration it was started with (null: the embedded default), for {@link #restart()}. */
    private String config;
    private boolean stopped;
    private boolean terminated;

    private Daemon(String name, Path workDir, int port) {
        this.name = name;
        this.workDir = workDir;
        this.port = port;
        this.controlSocket = workDir.resolve("ctl.sock");
        this.stateDir = workDir.resolve("state");
        this.logFile = uniqueLogFile(name);
    }

    /** Starts a daemon with the embedded default configuration (target0, LUN 0 = 1 GiB RAM disk). */
    public static Daemon start(TestInfo test) {
        return start(test, null);
    }

    /**
     * Starts a daemon. CONFIG (YAML or JSON, may be null for the embedded default) is written to a file and handed
     * over with --config; the string {@code @PORT@} in it is replaced by the port chosen for this daemon.
     */
    public static Daemon start(TestInfo test, String config) {
        return start(test.getTestClass().map(Class::getSimpleName).orElse("test")
                + test.getTestMethod().map(m -> "." + m.getName()).orElse(""), config);
    }

    /** As {@link #start(TestInfo, String)}, with the log named NAME.log. */
    public static Daemon start(String name, String config) {
        try {
            Path workDir = Files.createTempDirectory("jctl-it-");
            Daemon daemon = new Daemon(name, workDir, freePort());
            daemon.launch(config, false);
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String portal() {
        return "127.0.0.1:" + port;
    }

    /** iscsi://127.0.0.1:PORT/TARGET/LUN for the default target. */
    public String url(int lun) {
        return "iscsi://" + portal() + "/" + DEFAULT_TARGET + "/" + lun;
    }

    public Path controlSocket() {
        return controlSocket;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Declares that ERROR lines matching REGEX are what this test provokes on purpose. */
    public Daemon expectError(String regex) {
        expectedErrors.add(Pattern.compile(regex));
        return this;
    }

    /** Runs ctladm against this daemon's control socket (a separate JVM, like a user would). */
    public ToolResult ctladm(String... args) {
        List<String> all = new ArrayList<>(List.of("--socket", controlSocket.toString()));
        all.addAll(List.of(args));
        return Tools.run(CTLADM_DEADLINE, Tools.javaCommand("io.jctl.ctladm.Main", quickJvm(), all));
    }

    /** Runs ctladm and fails the test with its output unless it exits 0. */
    public ToolResult checkCtladm(String... args) {
        ToolResult result = ctladm(args);
        if (!result.ok()) fail(result.describe() + "\n" + logTail());
        return result;
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of characters logged so far; pass it to {@link #awaitLog} to look only at later lines. */
    public int logMark() {
        return log().length();
    }

    /** Waits until a log line written after MARK matches REGEX; fails with the log tail at the deadline. */
    public String awaitLog(int mark, String regex, Duration deadline) {
        Pattern pattern = Pattern.compile(regex);
        Instant end = Instant.now().plus(deadline);
        while (true) {
            String log = log();
            String later = log.length() > mark ? log.substring(mark) : "";
            for (String line : later.split("\n")) {
                if (pattern.matcher(line).find()) return line;
            }
            if (Instant.now().isAfter(end)) {
                fail("no log line matching /" + regex + "/ within " + deadline.toSeconds() + " s; log since then:\n"
                        + later);
            }
            pause();
        }
    }

    public String logTail() {
        List<String> lines = log().lines().toList();
        return "--- last lines of " + logFile + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Sends SIGTERM and returns at once; {@link #stop()} then waits for the exit and checks it. */
    public void sigterm() {
        if (!terminated) {
            terminated = true;
            process.destroy(); // SIGTERM on Unix
        }
    }

    /** SIGTERM (unless sent already), then the checks of a clean stop. Idempotent. */
    public void stop() {
        if (stopped) return;
        stopped = true;
        List<String> problems = terminateAndCheck();
        deleteTree(workDir);
        if (!problems.isEmpty()) {
            fail("daemon " + name + ": " + String.join("\n  ", problems) + "\n" + logTail());
        }
    }

    /**
     * Stops the daemon as {@link #stop()} does (the same checks of a clean stop) but keeps its work directory,
     * then starts it again with the same port, control socket, state directory and configuration, as after a
     * reboot of the machine. Its log continues in the same file.
     */
    public void restart() {
        if (stopped) throw new IllegalStateException("daemon " + name + " was stopped");
        List<String> problems = terminateAndCheck();
        if (!problems.isEmpty()) {
            stopped = true;
            deleteTree(workDir);
            fail("daemon " + name + " before its restart: " + String.join("\n  ", problems) + "\n" + logTail());
        }
        terminated = false;
        try {
            launch(config, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM (unless sent already), waits for the exit, and lists what was wrong with it and in the log. */
    private List<String> terminateAndCheck() {
        List<String> problems = new ArrayList<>();
        try {
            if (!process.isAlive() && !terminated) {
                problems.add("the daemon had already exited with status " + process.exitValue());
            } else {
                sigterm();
                if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    appendThreadDump();
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    problems.add("did not exit within " + STOP_DEADLINE.toSeconds()
                            + " s of SIGTERM (thread dump appended to the log)");
                } else if (process.exitValue() != 0) {
                    problems.add("exited with status " + process.exitValue() + " after SIGTERM, expected 0");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            problems.add("interrupted while stopping");
        }
        for (String line : log().lines().toList()) {
            if (LEAK_LINE.matcher(line).find()) {
                problems.add("buffer leak reported: " + line);
            } else if (ERROR_LINE.matcher(line).find()
                    && expectedErrors.stream().noneMatch(p -> p.matcher(line).find())) {
                problems.add("unexpected error logged: " + line);
            }
        }
        return problems;
    }

    @Override
    public void close() {
        stop();
    }

    private void launch(String config, boolean again) throws IOException {
        this.config = config;
        Files.createDirectories(stateDir);
        List<String> args = new ArrayList<>(List.of(
                "--listen", portal(),
                "--control-socket", controlSocket.toString(),
                "--state-dir", stateDir.toString()));
        if (config != null) {
            Path configFile = workDir.resolve(config.stripLeading().startsWith("{") ? "ctl.json" : "ctl.yaml");
            Files.writeString(configFile, config.replace("@PORT@", Integer.toString(port)));
            args.add("--config");
            args.add(configFile.toString());
        }
        List<String> jvm = List.of("-Dio.netty.leakDetection.level=paranoid", "-XX:+UseSerialGC");
        List<String> command = Tools.javaCommand("io.jctl.ctld.Main", jvm, args);
        Files.writeString(logFile, "# " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, again ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            awaitReady();
        } catch (AssertionError | RuntimeException e) {
            stopped = true;
            process.destroyForcibly();
            deleteTree(workDir);
            throw e;
        }
    }

    /** Ready = the log says so, the iSCSI port accepts, and `ctladm devlist` answers over the control socket. */
    private void awaitReady() {
        Instant end = Instant.now().plus(START_DEADLINE);
        boolean listening = false;
        ToolResult lastDevlist = null;
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                fail("daemon " + name + " exited with status " + process.exitValue() + " while starting\n"
                        + logTail());
            }
            if (!listening) listening = accepts(port);
            if (listening && Files.exists(controlSocket)) {
                lastDevlist = ctladm("devlist");
                if (lastDevlist.ok()) return;
            }
            pause();
        }
        fail("daemon " + name + " not ready within " + START_DEADLINE.toSeconds() + " s (port "
                + (listening ? "accepts" : "closed") + ", control socket "
                + (Files.exists(controlSocket) ? "present" : "absent") + ")"
                + (lastDevlist != null ? "\nlast ctladm devlist: " + lastDevlist.describe() : "")
                + "\n" + logTail());
    }

    private void appendThreadDump() {
        ToolResult dump = Tools.run(Duration.ofSeconds(15),
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "Thread.print");
        try {
            Files.writeString(logFile, "\n# thread dump after the SIGTERM deadline\n" + dump.output(),
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JVM flags for the short-lived CLI processes: they live for a second, so start fast. */
    static List<String> quickJvm() {
        return List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port on 127.0.0.1 free right now (for a daemon's own listen address or a second portal). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** The directory for daemon and tool logs: target/it-logs of this module. */
    public static Path logDir() {
        Path dir = Path.of(System.getProperty("jctl.it.logs", "target/it-logs"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path uniqueLogFile(String name) {
        int n = LOG_NAMES.merge(name, 1, Integer::sum);
        return logDir().resolve(n == 1 ? name + ".log" : name + "-" + n + ".log");
    }

    /** Polling interval of the condition waits above; each wait has its own deadline. */
    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.ToolResult;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * The Linux initiator VM of scripts/vm: {@link #prepare()} builds (or reuses) the kernel and initramfs from Debian
 * packages, {@link #run} boots it against a portal on the host and returns what the guest reported.
 *
 * <p>The image cache is JCTL_VM_CACHE (environment) or -Djctl.vm.cache, else target/vm-cache of this module.
 * Where qemu-system-x86_64 is missing or the packages cannot be downloaded the calling test is skipped with the
 * reason, except where tools are required (CI=true or -Djctl.it.requireTools=true): then it fails.
 */
public final class InitiatorVm {

    /** Exit status of build-vm.sh and run-vm.sh for "cannot be done on this machine" (missing tool or package). */
    private static final int UNAVAILABLE = 3;
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(10);
    /** The guest's own bound (run-vm.sh --timeout); the process deadline adds room for the KVM probe. */
    private static final Duration GUEST_DEADLINE = Duration.ofMinutes(5);
    private static final Duration RUN_DEADLINE = GUEST_DEADLINE.plusMinutes(1);

    private final Path scripts;
    private final Path cache;

    private InitiatorVm(Path scripts, Path cache) {
        this.scripts = scripts;
        this.cache = cache;
    }

    /** Builds the VM image if the cache lacks it; skips (or fails, where tools are required) when it cannot. */
    public static InitiatorVm prepare() {
        if (Tools.which("qemu-system-x86_64").isEmpty()) {
            unavailable("qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)");
        }
        InitiatorVm vm = new InitiatorVm(findScripts(), cacheDir());
        ToolResult build = Tools.run(BUILD_DEADLINE, vm.scripts.resolve("build-vm.sh").toString(), vm.cache.toString());
        if (!build.timedOut() && build.exitCode() == UNAVAILABLE) {
            unavailable("the VM's Debian packages cannot be downloaded: " + build.output().strip());
        }
        if (!build.ok()) fail("building the initiator VM failed: " + build.describe());
        return vm;
    }

    /**
     * Boots the VM with its iSCSI portal forwarded to PORTAL (host:port on 127.0.0.1), runs what GUEST says and
     * waits for it to power off. The console and result logs go to LOG_DIR.
     */
    public GuestRun run(String portal, GuestConfig guest, Path logDir) {
        return run(portal, null, guest, logDir, request -> fail("the guest asked for " + request + " unexpectedly"));
    }

    /**
     * {@link #run(String, GuestConfig, Path)} with a second portal (SECOND_PORTAL, may be null) forwarded to the
     * guest's 10.0.2.101:3260, and ON_REQUEST called with the words of every {@code JCTL-VM REQUEST ...} line the
     * guest prints while it runs (the multipath workload asks the host to take a port offline that way).
     */
    public GuestRun run(String portal, String secondPortal, GuestConfig guest, Path logDir,
            Consumer<String> onRequest) {
        List<String> command = new ArrayList<>(List.of(scripts.resolve("run-vm.sh").toString(), "--portal", portal));
        if (secondPortal != null) command.addAll(List.of("--portal2", secondPortal));
        command.addAll(guest.arguments());
        command.addAll(List.of("--cache", cache.toString(), "--logs", logDir.toString(),
                "--timeout", Long.toString(GUEST_DEADLINE.toSeconds())));
        Path results = logDir.resolve("vm-results.log");
        ToolResult result;
        try (RequestWatcher watcher = new RequestWatcher(results, onRequest)) {
            result = Tools.run(RUN_DEADLINE, command);
        }
        if (!result.timedOut() && result.exitCode() == UNAVAILABLE) {
            unavailable(result.output().strip());
        }
        return new GuestRun(result, GuestReport.parse(read(results)), logDir.resolve("vm-console.log"));
    }

    /**
     * Follows the guest's result log while it runs and hands each {@code JCTL-VM REQUEST} line to a handler, once.
     * The log of an earlier run is deleted first so that none of its requests is answered again.
     */
    private static final class RequestWatcher implements AutoCloseable {
        private static final String PREFIX = "JCTL-VM REQUEST ";
        private final Path results;
        private final Consumer<String> onRequest;
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vm-request-watcher");
            t.setDaemon(true);
            return t;
        });
        private int handled;
        private volatile AssertionError failure;

        RequestWatcher(Path results, Consumer<String> onRequest) {
            this.results = results;
            this.onRequest = onRequest;
            try {
                Files.deleteIfExists(results);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            poller.scheduleWithFixedDelay(this::poll, 200, 200, TimeUnit.MILLISECONDS);
        }

        private void poll() {
            List<String> requests = read(results).replace("\r", "").lines()
                    .filter(line -> line.startsWith(PREFIX) && line.length() > PREFIX.length()).toList();
            while (handled < requests.size() && failure == null) {
                String request = requests.get(handled++).substring(PREFIX.length()).strip();
                System.out.println("guest request: " + request);
                try {
                    onRequest.accept(request);
                } catch (AssertionError e) {
                    failure = e;
                }
            }
        }

        @Override
        public void close() {
            poller.shutdownNow();
            try {
                poller.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) throw failure;
        }
    }

    /** A log directory for one VM run under target/it-logs/vm. */
    public static Path logDir(String name) {
        try {
            return Files.createDirectories(Daemon.logDir().resolve("vm").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one boot produced: the run-vm.sh process, the guest's report and where its console log is. */
    public record GuestRun(ToolResult process, GuestReport report, Path consoleLog) {

        /** Everything needed to understand a failed run without re-running it. */
        public String describe() {
            List<String> console = read(consoleLog).replace("\r", "").lines().toList();
            return "guest results:\n" + report.summary()
                    + (report.done() ? "" : "(the guest did not finish)\n")
                    + "run-vm.sh: " + (process.timedOut() ? "timed out" : "exit " + process.exitCode()) + "\n"
                    + process.stderr().strip() + "\n--- last lines of " + consoleLog + " ---\n"
                    + String.join("\n", console.subList(Math.max(0, console.size() - 40), console.size()));
        }
    }

    private static void unavailable(String reason) {
        if (Tools.toolsRequired()) fail(reason + " - required because CI=true or -Djctl.it.requireTools=true");
        System.err.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }

    private static Path cacheDir() {
        String configured = System.getenv("JCTL_VM_CACHE");
        if (configured == null || configured.isBlank()) configured = System.getProperty("jctl.vm.cache");
        if (configured == null || configured.isBlank()) return Path.of("target", "vm-cache").toAbsolutePath();
        return Path.of(configured).toAbsolutePath();
    }

    /** scripts/vm of the checkout: tests run in the module directory, the scripts live at the repository root. */
    private static Path findScripts() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path scripts = dir.resolve("scripts").resolve("vm");
            if (Files.isExecutable(scripts.resolve("run-vm.sh"))) return scripts;
        }
        return fail("scripts/vm/run-vm.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.jctl.ctld;

import io.jctl.control.ControlJson;
import io.jctl.control.ControlPaths;
import io.jctl.ctld.config.ConfigException;
import io.jctl.ctld.config.ConfigParser;
import io.jctl.ctld.runtime.NettyMemory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ctld}: the jctl target daemon. Runs in the foreground until SIGTERM or SIGINT, then shuts down cleanly
 * and exits 0. SIGHUP re-reads the configuration file and applies the difference. Exit 2: bad arguments or
 * configuration (one line on stderr, nothing started); exit 1: something else prevented the start (control
 * socket or state directory in use, iSCSI port taken).
 */
@Command(name = "ctld", mixinStandardHelpOptions = true, version = "ctld (jctl) 0.1", sortOptions = false,
        description = "jctl iSCSI target daemon. Without --config it serves the embedded default: target "
                + ConfigParser.DEFAULT_TARGET + " on 127.0.0.1:3260, LUN 0 a 1 GiB RAM disk, no authentication.",
        footerHeading = "%nMemory (docs/performance.md, Memory):%n",
        footer = {
            "scripts/ctld starts the JVM with -XX:+UseSerialGC -Xms32m -Xmx256m, then $JAVA_OPTS: the JVM takes"
                    + " the last of a repeated option, so JAVA_OPTS=-Xmx1g raises the heap limit. A collector named"
                    + " in JAVA_OPTS replaces SerialGC; -XX:MaxRAMPercentage (-XX:InitialRAMPercentage) there"
                    + " replaces -Xmx (-Xms). JCTL_JVM_DEFAULTS=none: none of these.",
            "ctld itself sets, unless given with -D: io.netty.allocator.numDirectArenas=<event loops> (one"
                    + " pooled arena per network event loop), io.netty.tryReflectionSetAccessible=true (direct"
                    + " buffers from malloc, resident only where written) and io.netty.maxDirectMemory=<the"
                    + " machine's memory> (RAM disk pages are direct memory, so the heap limit must not cap them)."})
public final class Main implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration, YAML or JSON (ctl.conf concepts; see examples/ctl.yaml).")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Listen address of portal group default, replacing the configured ones (repeatable; "
                    + "IPv6 as [::1]:3260).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "Control socket (default: $JCTL_CONTROL_SOCKET, /run/jctl/ctld.sock for root, else "
                    + "$XDG_RUNTIME_DIR/jctl/ctld.sock or /tmp/jctl-<user>/ctld.sock).")
    Path controlSocket;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "State directory, locked while the daemon runs (default: /var/lib/jctl for root, else "
                    + "$XDG_STATE_HOME/jctl or ~/.local/state/jctl).")
    Path stateDir;

    @Option(names = "--workers", paramLabel = "N", description = "Core worker threads (default: one per CPU, "
            + "at most 16).")
    int workers;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter err;

    public static void main(String[] args) {
        NettyMemory.apply();   // before any Netty class loads: they read these settings once
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, err));
    }

    static int run(String[] args, PrintWriter err) {
        Main main = new Main();
        main.err = err;
        CommandLine cl = new CommandLine(main);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("ctld: " + ControlJson.oneLine(ex.getMessage()).replaceFirst("^Error: ", ""));
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl.execute(args);
    }

    /** The options as the daemon takes them; bad values are usage errors. */
    DaemonOptions options() {
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (String l : listen) {
            try {
                addrs.add(ConfigParser.listenAddress(l));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--listen " + e.getMessage());
            }
        }
        if (workers < 0 || workers > 16) {
            throw new ParameterException(spec.commandLine(), "--workers must be 0..16, not " + workers);
        }
        return new DaemonOptions(config, addrs,
                controlSocket != null ? controlSocket : ControlPaths.defaultSocket(),
                stateDir != null ? stateDir : StateDirectory.defaultPath(), workers);
    }

    private static void reloadAndLog(Daemon daemon) {
        try {
            daemon.reload();
        } catch (ConfigException | DaemonException e) {
            LoggerFactory.getLogger(Main.class).error("reload refused, configuration unchanged: {}",
                    ControlJson.oneLine(e.getMessage()));
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        DaemonOptions options = options();
        Daemon daemon;
        try {
            daemon = Daemon.start(options);
        } catch (ConfigException e) {
            err.println("ctld: " + e.getMessage());
            return 2;
        } catch (DaemonException e) {
            err.println("ctld: " + ControlJson.oneLine(e.getMessage()));
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // handled signals end the wait below, so the daemon stops cleanly and the exit status is 0
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        // SIGHUP: re-read the configuration, as ctld does; the outcome goes to the log
        Signal.handle(new Signal("HUP"), s -> {
            Thread t = new Thread(() -> reloadAndLog(daemon), "ctld-reload");
            t.setDaemon(true);
            t.start();
        });
        // any other way out of the JVM still logs sessions out and removes the socket
        Thread hook = new Thread(daemon::close, "ctld-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stop.await();
        daemon.close();
        return 0;
    }
}

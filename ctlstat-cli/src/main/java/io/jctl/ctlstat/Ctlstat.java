package io.jctl.ctlstat;

import io.jctl.control.ControlException;
import io.jctl.control.ControlJson;
import io.jctl.control.ControlPaths;
import io.jctl.control.ControlService;
import io.jctl.control.message.StatsArgs;
import io.jctl.control.message.StatsItem;
import io.jctl.control.message.StatsReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code ctlstat}: LUN and port I/O statistics of a running ctld (ctl-facts §9). Exit codes: 0 done, 1 the daemon
 * refused or could not be reached, 2 wrong arguments.
 */
@Command(name = "ctlstat", version = "ctlstat (jctl) 0.1", sortOptions = false,
        description = "Show LUN and port I/O statistics of a running ctld.")
public final class Ctlstat implements Callable<Integer> {
    /** Pauses between reports; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** Reads the machine's CPU counters; tests replace it. */
    @FunctionalInterface
    public interface CpuSource {
        CpuTimes read() throws IOException;
    }

    @Option(names = "-t", description = "Totals: Read, Write and Total columns (ports unless -l).")
    boolean totals;

    @Option(names = "-c", paramLabel = "count", description = "Number of reports (default: until interrupted).")
    Integer count;

    @Option(names = "-C", description = "No CPU column.")
    boolean noCpu;

    @Option(names = "-d", description = "DMA latency and rate (ms per DMA, dps) instead of command figures.")
    boolean dma;

    @Option(names = "-D", description = "Text dump of raw counters (default interval 30 s).")
    boolean dump;

    @Option(names = "-h", description = "No header lines.")
    boolean noHeader;

    @Option(names = "-j", description = "JSON dump of raw counters (default interval 30 s).")
    boolean json;

    @Option(names = "-l", paramLabel = "lun", description = "Show this LUN (repeatable).")
    List<Integer> luns = new ArrayList<>();

    @Option(names = "-n", paramLabel = "numdevs", description = "Number of LUNs or ports shown (default 3).")
    Integer numDevs;

    @Option(names = "-p", paramLabel = "port", description = "Show this port (repeatable).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "-w", paramLabel = "wait", description = "Seconds between reports (default 1).")
    Integer waitSeconds;

    @Option(names = "-P", description = "One Prometheus text dump behind an HTTP/1.1 200 header, for inetd.")
    boolean prometheus;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "ctld control socket (default: $JCTL_CONTROL_SOCKET, /run/jctl/ctld.sock for root, "
                    + "else $XDG_RUNTIME_DIR/jctl/ctld.sock or /tmp/jctl-<user>/ctld.sock)")
    Path socket;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private Function<Path, ControlService> connector;
    private PrintWriter out;
    private PrintWriter err;
    private Sleeper sleeper;
    private CpuSource cpuSource;

    public static int run(String[] args, PrintWriter out, PrintWriter err, Function<Path, ControlService> connector,
                          Sleeper sleeper, CpuSource cpuSource) {
        Ctlstat cmd = new Ctlstat();
        cmd.connector = connector;
        cmd.out = out;
        cmd.err = err;
        cmd.sleeper = sleeper;
        cmd.cpuSource = cpuSource;
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("ctlstat: " + ControlJson.oneLine(ex.getMessage()).replaceFirst("^Error: ", ""));
            err.flush();
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            if (ex instanceof ControlException) {
                err.println("ctlstat: " + ControlJson.oneLine(ex.getMessage()));
                err.flush();
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    private void validate() {
        if (!luns.isEmpty() && !ports.isEmpty()) {
            throw usage("-l and -p are mutually exclusive");
        }
        if ((dump ? 1 : 0) + (json ? 1 : 0) + (prometheus ? 1 : 0) > 1) {
            throw usage("only one of -D, -j and -P may be given");
        }
        if (prometheus && (!ports.isEmpty() || count != null || waitSeconds != null || totals)) {
            throw usage("-P cannot be combined with -p, -c, -w or -t");
        }
        atLeast("-c", count, 1);
        atLeast("-n", numDevs, 1);
        atLeast("-w", waitSeconds, 1);
        for (int l : luns) {
            atLeast("-l", l, 0);
        }
        for (int p : ports) {
            atLeast("-p", p, 0);
        }
    }

    private void atLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw usage(option + " must be at least " + min + ", not " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws ControlException, InterruptedException {
        validate();
        ControlService service = connector.apply(socket != null ? socket : ControlPaths.defaultSocket());
        if (prometheus) {
            PrometheusView.print(out, service.stats(StatsArgs.everything()));
            return 0;
        }
        // -t without a selection sums ports, as CTL does
        boolean portMode = !ports.isEmpty() || totals && luns.isEmpty();
        List<Integer> selected = portMode ? ports : luns;
        long intervalMillis = 1000L * (waitSeconds != null ? waitSeconds : dump || json ? 30 : 1);
        StandardView view = null;
        CpuTimes firstCpu = null;
        if (!dump && !json) {
            firstCpu = noCpu ? null : firstCpuSample();
            boolean cpu = firstCpu != null;
            int n = numDevs != null ? numDevs : selected.isEmpty() ? 3 : selected.size();
            view = new StandardView(out, portMode, selected, n, totals, dma, cpu, !noHeader);
        }
        for (long i = 0; count == null || i < count; i++) {
            if (i > 0) {
                sleeper.sleep(intervalMillis);
            }
            StatsReport report = service.stats(StatsArgs.everything());
            List<StatsItem> items = portMode ? report.ports() : report.luns();
            checkSelection(items, selected, portMode);
            if (view != null) {
                view.print(report, i == 0 && firstCpu != null ? firstCpu : cpuNow());
            } else {
                List<StatsItem> shown = selected.isEmpty() ? items
                        : items.stream().filter(it -> selected.contains(it.num())).toList();
                if (dump) {
                    DumpView.text(out, shown, portMode);
                } else {
                    DumpView.json(out, shown, portMode);
                }
            }
        }
        return 0;
    }

    private static void checkSelection(List<StatsItem> items, List<Integer> selected, boolean portMode)
            throws ControlException {
        for (int n : selected) {
            if (items.stream().noneMatch(it -> it.num() == n)) {
                throw new ControlException((portMode ? "port " : "LUN ") + n + " does not exist");
            }
        }
    }

    /** The first CPU sample, or null (and a note) when the machine does not offer one. */
    private CpuTimes firstCpuSample() {
        try {
            return cpuSource.read();
        } catch (IOException e) {
            err.println("ctlstat: no CPU column: " + ControlJson.oneLine(e.getMessage()));
            return null;
        }
    }

    private CpuTimes cpuNow() {
        try {
            return cpuSource.read();
        } catch (IOException e) {
            return CpuTimes.ZERO;
        }
    }
}

package io.jctl.ctladm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jctl.control.ControlClient;
import io.jctl.control.ControlException;
import io.jctl.control.ControlJson;
import io.jctl.control.ControlPaths;
import io.jctl.control.ControlService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The {@code ctladm} command tree. Subcommands ask {@link #service()} for the daemon; output goes to
 * {@link #out()}. Exit codes: 0 done, 1 the daemon refused or could not be reached, 2 wrong arguments.
 */
@Command(name = "ctladm", mixinStandardHelpOptions = true, version = "ctladm (jctl) 0.1",
        description = "Administer LUNs, ports and iSCSI sessions of a running ctld.",
        subcommands = {CreateCommand.class, RemoveCommand.class, ModifyCommand.class, DevlistCommand.class,
                PortlistCommand.class, PortCommand.class, LunmapCommand.class, IslistCommand.class,
                SessionCommand.Logout.class, SessionCommand.Terminate.class, ReloadCommand.class,
                CommandLine.HelpCommand.class})
public final class Ctladm implements Runnable {
    public static final int EXIT_REFUSED = 1;

    /** Opens one service per socket path and closes what it opened. */
    public static final class ClientConnector implements Function<Path, ControlService>, AutoCloseable {
        private final Function<Path, ControlClient> factory;
        private ControlClient client;

        public ClientConnector(Function<Path, ControlClient> factory) {
            this.factory = factory;
        }

        @Override
        public ControlService apply(Path path) {
            if (client == null) {
                client = factory.apply(path);
            }
            return client;
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    @Mixin
    SocketOption socket;

    @Mixin
    JsonOption json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private Function<Path, ControlService> connector;
    private PrintWriter out;

    /** Parses {@code args}, runs the subcommand and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Function<Path, ControlService> connector) {
        Ctladm root = new Ctladm();
        root.connector = connector;
        root.out = out;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandName();
            String prefix = name.equals("ctladm") ? "ctladm" : "ctladm " + name;
            err.println(prefix + ": " + ControlJson.oneLine(ex.getMessage()).replaceFirst("^Error: ", ""));
            err.flush();
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            if (ex instanceof ControlException) {
                err.println("ctladm: " + ControlJson.oneLine(ex.getMessage()));
                err.flush();
                return EXIT_REFUSED;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try ctladm help)");
    }

    /** The daemon, at the subcommand's {@code --socket}, else the global one, else the default path. */
    ControlService service(SocketOption local) {
        Path path = local.path != null ? local.path : socket.path != null ? socket.path : ControlPaths.defaultSocket();
        return connector.apply(path);
    }

    PrintWriter out() {
        return out;
    }

    /** Prints a result as indented JSON ({@code --json}). */
    void printJson(Object result) {
        try {
            out.println(ControlJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }
}

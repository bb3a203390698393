package io.jctl.ctladm;

import io.jctl.control.ControlService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every subcommand shares: the daemon connection, {@code --socket} and {@code --json}. */
abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    Ctladm root;

    @Mixin
    SocketOption socket;

    @Mixin
    JsonOption jsonOption;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** {@code --json} given after the subcommand or before it. */
    boolean json() {
        return jsonOption.json || root.json.json;
    }

    ControlService service() {
        return root.service(socket);
    }

    PrintWriter out() {
        return root.out();
    }
}

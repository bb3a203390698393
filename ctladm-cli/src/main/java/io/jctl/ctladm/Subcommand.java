package io.jctl.ctladm;

import io.jctl.control.ControlService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every subcommand shares: the daemon connection, {@code --socket} and {@code --json}. */
abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    Ctladm root;

    @Mixin
    SocketOption socket;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    ControlService service() {
        return root.service(socket);
    }

    PrintWriter out() {
        return root.out();
    }
}

package io.jctl.ctladm;

import picocli.CommandLine.Option;

/** {@code --json}, accepted before and after the subcommand name. */
public final class JsonOption {
    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;
}

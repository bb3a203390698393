package io.jctl.ctladm;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --socket PATH}, accepted before and after the subcommand name. */
public final class SocketOption {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "ctld control socket (default: $JCTL_CONTROL_SOCKET, /run/jctl/ctld.sock for root, "
                    + "else $XDG_RUNTIME_DIR/jctl/ctld.sock or /tmp/jctl-<user>/ctld.sock)")
    Path path;
}

package io.jctl.ctld;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * How the daemon is started.
 *
 * @param config        configuration file, or null for the embedded default
 * @param listen        listen addresses replacing those of the {@code default} portal group; empty keeps them
 * @param controlSocket control socket path
 * @param stateDir      state directory
 * @param workers       core worker threads; 0 or less picks one per CPU
 */
public record DaemonOptions(Path config, List<InetSocketAddress> listen, Path controlSocket, Path stateDir,
                            int workers) {
    public DaemonOptions {
        listen = List.copyOf(listen);
    }
}

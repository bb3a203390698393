package io.jctl.ctladm;

import io.jctl.control.message.PortInfo;
import io.jctl.control.message.PortStateArgs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "port", description = "Take ports online or offline (an offline port refuses logins; its "
        + "sessions are dropped).")
final class PortCommand extends Subcommand {
    enum State { on, off }

    static final class Which {
        @Option(names = "-p", required = true, paramLabel = "port", description = "this port")
        Integer port;

        @Option(names = "-t", required = true, paramLabel = "frontend", description = "every port of this "
                + "frontend type (iscsi) or all")
        String frontend;
    }

    @Option(names = "-o", required = true, paramLabel = "on|off", description = "the new state")
    State state;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    public Integer call() throws Exception {
        List<PortInfo> changed = service().portState(new PortStateArgs(which.port, which.frontend,
                state == State.on));
        if (json()) {
            root.printJson(changed);
        } else {
            for (PortInfo p : changed) {
                out().printf("Port %d (%s) is now %s%n", p.id(), p.name(), p.online() ? "online" : "offline");
            }
        }
        return 0;
    }
}

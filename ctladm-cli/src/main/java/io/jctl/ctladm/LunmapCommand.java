package io.jctl.ctladm;

import io.jctl.control.message.LunMapArgs;
import io.jctl.control.message.PortInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.List;

@Command(name = "lunmap", description = "Map a port LUN to a LUN (-l and -L), unmap it (-l), or turn the port's "
        + "LUN map off (neither: every LUN visible under its own number).")
final class LunmapCommand extends Subcommand {
    @Option(names = "-p", required = true, paramLabel = "port", description = "port number (see portlist)")
    int port;

    @Option(names = "-l", paramLabel = "port_lun", description = "LUN number as the port's initiators see it")
    Integer portLun;

    @Option(names = "-L", paramLabel = "lun", description = "LUN (devlist number) to show there")
    Integer lun;

    @Override
    public Integer call() throws Exception {
        if (lun != null && portLun == null) {
            throw new ParameterException(spec.commandLine(), "-L needs -l (the port LUN)");
        }
        PortInfo p = service().lunmap(new LunMapArgs(port, portLun, lun));
        if (json()) {
            root.printJson(p);
        } else {
            PortlistCommand.print(out(), List.of(p), false, false, true);
        }
        return 0;
    }
}

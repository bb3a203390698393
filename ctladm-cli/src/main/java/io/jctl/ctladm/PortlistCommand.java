package io.jctl.ctladm;

import io.jctl.control.message.PortInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "portlist", description = "List target ports.")
final class PortlistCommand extends Subcommand {
    private static final String ROW = "%-4s %-6s %-8s %-8s %-2s %-2s %s";

    @Option(names = "-v", description = "Also show port options.")
    boolean verbose;

    @Option(names = "-i", description = "Also show the target and the logged-in initiators.")
    boolean initiators;

    @Option(names = "-l", description = "Also show the LUN map.")
    boolean lunMap;

    @Override
    public Integer call() throws Exception {
        List<PortInfo> ports = service().portlist();
        if (json()) {
            root.printJson(ports);
        } else {
            print(out(), ports, verbose, initiators, lunMap);
        }
        return 0;
    }

    static void print(PrintWriter out, List<PortInfo> ports, boolean verbose, boolean initiators, boolean lunMap) {
        out.println(String.format(ROW, "Port", "Online", "Frontend", "Name", "pp", "vp", "").stripTrailing());
        for (PortInfo p : ports) {
            out.println(String.format(ROW, p.id(), p.online() ? "YES" : "NO", p.frontend(), p.frontend(),
                    p.physicalPort(), p.virtualPort(), p.name()).stripTrailing());
            if (initiators) {
                out.printf("  Target: %s%n", p.targetName());
                for (int i = 0; i < p.initiators().size(); i++) {
                    out.printf("  Initiator %d: %s%n", i, p.initiators().get(i));
                }
            }
            if (lunMap) {
                if (p.lunMap() == null) {
                    out.println("  All LUNs mapped");
                } else {
                    p.lunMap().forEach((portLun, lun) -> out.printf("  LUN %d: %d%n", portLun, lun));
                }
            }
            if (verbose) {
                p.options().forEach((name, value) -> out.printf("  %s=%s%n", name, value));
            }
        }
    }
}

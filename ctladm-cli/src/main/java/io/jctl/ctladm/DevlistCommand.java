package io.jctl.ctladm;

import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.LunInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "devlist", description = "List LUNs.")
final class DevlistCommand extends Subcommand {
    private static final String ROW = "%3s %-8s %18s %4s %-16s %-16s";

    @Option(names = "-v", description = "Also show every option and backend fact.")
    boolean verbose;

    @Option(names = "-b", paramLabel = "backend", description = "Only LUNs of this backend.")
    String backend;

    @Override
    public Integer call() throws Exception {
        List<LunInfo> luns = service().devlist(new DevListArgs(backend));
        if (json()) {
            root.printJson(luns);
        } else {
            print(out(), luns, verbose);
        }
        return 0;
    }

    static void print(PrintWriter out, List<LunInfo> luns, boolean verbose) {
        out.println(String.format(ROW, "LUN", "Backend", "Size (Blocks)", "BS", "Serial Number", "Device ID")
                .stripTrailing());
        for (LunInfo lun : luns) {
            out.println(String.format(ROW, lun.id(), lun.backend(), lun.sizeBlocks(), lun.blockSize(),
                    lun.serial(), lun.deviceId()).stripTrailing());
            if (verbose) {
                // backend facts first, then options; an option of the same name (file) is shown once
                Map<String, String> all = new LinkedHashMap<>(lun.backendInfo());
                all.putAll(lun.options());
                all.forEach((name, value) -> out.printf("      %s=%s%n", name, value));
            }
        }
    }
}

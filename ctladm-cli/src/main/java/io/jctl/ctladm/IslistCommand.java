package io.jctl.ctladm;

import io.jctl.control.message.SessionEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "islist", description = "List iSCSI sessions.")
final class IslistCommand extends Subcommand {
    private static final String ROW = "%4s %-16s %-36s %-36s";

    @Option(names = "-v", description = "Show every negotiated parameter.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        List<SessionEntry> sessions = service().islist();
        if (json()) {
            root.printJson(sessions);
        } else if (verbose) {
            printVerbose(out(), sessions);
        } else {
            print(out(), sessions);
        }
        return 0;
    }

    static void print(PrintWriter out, List<SessionEntry> sessions) {
        out.println(String.format(ROW, "ID", "Portal", "Initiator name", "Target name").stripTrailing());
        for (SessionEntry s : sessions) {
            out.println(String.format(ROW, s.id(), s.initiatorAddress(), s.initiatorName(),
                    s.targetName() == null ? "" : s.targetName()).stripTrailing());
        }
    }

    static void printVerbose(PrintWriter out, List<SessionEntry> sessions) {
        for (SessionEntry s : sessions) {
            out.printf("Session ID:       %d%n", s.id());
            out.printf("Initiator name:   %s%n", s.initiatorName());
            out.printf("Initiator portal: %s%n", s.initiatorAddress());
            out.printf("Initiator alias:  %s%n", orEmpty(s.initiatorAlias()));
            out.printf("ISID:             0x%s%n", s.isid());
            out.printf("TSIH:             %d%n", s.tsih());
            out.printf("Target name:      %s%n", orEmpty(s.targetName()));
            out.printf("Target alias:     %s%n", orEmpty(s.targetAlias()));
            out.printf("Portal group tag: %d%n", s.portalGroupTag());
            out.printf("Header digest:    %s%n", s.headerDigest());
            out.printf("Data digest:      %s%n", s.dataDigest());
            out.printf("DataSegmentLen:   %d/%d%n", s.maxRecvDataSegmentLength(), s.maxSendDataSegmentLength());
            out.printf("MaxBurstLen:      %d%n", s.maxBurstLength());
            out.printf("FirstBurstLen:    %d%n", s.firstBurstLength());
            out.printf("ImmediateData:    %s%n", s.immediateData() ? "Yes" : "No");
            out.printf("InitialR2T:       %s%n", s.initialR2T() ? "Yes" : "No");
            out.printf("iSER (RDMA):      No%n");
            out.printf("Offload driver:   None%n");
            out.println();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

package io.jctl.ctlstat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jctl.control.ControlException;
import io.jctl.control.ControlJson;
import io.jctl.control.ControlService;
import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.IoStats;
import io.jctl.control.message.LunInfo;
import io.jctl.control.message.LunMapArgs;
import io.jctl.control.message.ModifyLunArgs;
import io.jctl.control.message.PortInfo;
import io.jctl.control.message.PortStateArgs;
import io.jctl.control.message.ReloadResult;
import io.jctl.control.message.RemoveLunArgs;
import io.jctl.control.message.SessionActionResult;
import io.jctl.control.message.SessionEntry;
import io.jctl.control.message.SessionSelector;
import io.jctl.control.message.StatsArgs;
import io.jctl.control.message.StatsItem;
import io.jctl.control.message.StatsReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CtlstatTest {
    static final long MS = 1_000_000L;
    static final long MIB = 1 << 20;

    /** Serves the queued reports in order. */
    static final class StatsOnly implements ControlService {
        final Deque<StatsReport> reports = new ArrayDeque<>();
        int asked;

        @Override
        public StatsReport stats(StatsArgs args) {
            asked++;
            return reports.size() > 1 ? reports.poll() : reports.peek();
        }

        @Override
        public LunInfo create(CreateLunArgs args) {
            throw new AssertionError();
        }

        @Override
        public LunInfo remove(RemoveLunArgs args) {
            throw new AssertionError();
        }

        @Override
        public LunInfo modify(ModifyLunArgs args) {
            throw new AssertionError();
        }

        @Override
        public List<LunInfo> devlist(DevListArgs args) {
            throw new AssertionError();
        }

        @Override
        public List<PortInfo> portlist() {
            throw new AssertionError();
        }

        @Override
        public List<SessionEntry> islist() {
            throw new AssertionError();
        }

        @Override
        public SessionActionResult islogout(SessionSelector selector) {
            throw new AssertionError();
        }

        @Override
        public SessionActionResult isterminate(SessionSelector selector) throws ControlException {
            throw new AssertionError();
        }

        @Override
        public ReloadResult reload() {
            throw new AssertionError();
        }

        @Override
        public PortInfo lunmap(LunMapArgs args) {
            throw new AssertionError();
        }

        @Override
        public List<PortInfo> portState(PortStateArgs args) {
            throw new AssertionError();
        }
    }

    final StatsOnly service = new StatsOnly();
    final Deque<CpuTimes> cpu = new ArrayDeque<>(List.of(new CpuTimes(50, 100), new CpuTimes(60, 200)));
    final List<Long> sleeps = new ArrayList<>();
    String out;
    String err;

    static StatsItem item(int num, String target, long readBytes, long readOps, long readMs, long noIoOps,
                          long writeBytes, long writeOps) {
        return new StatsItem(num, target, List.of(
                new IoStats(IoStats.NO_IO, 0, noIoOps, 0, noIoOps * MS, 0),
                new IoStats(IoStats.READ, readBytes, readOps, readOps, readMs * MS, readMs * MS / 2),
                new IoStats(IoStats.WRITE, writeBytes, writeOps, writeOps * 2, writeOps * 2 * MS, writeOps * MS)));
    }

    void twoReports() {
        service.reports.add(new StatsReport(10_000 * MS, true,
                List.of(item(0, null, 10 * MIB, 80, 80, 20, 0, 0), item(1, null, 0, 0, 0, 0, 0, 0)),
                List.of(item(1, "iqn.t", 10 * MIB, 80, 80, 20, 4 * MIB, 4))));
        service.reports.add(new StatsReport(12_000 * MS, true,
                List.of(item(0, null, 20 * MIB, 180, 180, 20, 0, 0), item(1, null, 0, 0, 0, 0, 0, 0)),
                List.of(item(1, "iqn.t", 20 * MIB, 180, 180, 20, 6 * MIB, 6))));
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Ctlstat.run(args, new PrintWriter(o, true), new PrintWriter(e, true), path -> service,
                sleeps::add, () -> {
                    if (cpu.isEmpty()) {
                        throw new IOException("no more samples");
                    }
                    return cpu.size() > 1 ? cpu.poll() : cpu.peek();
                });
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void standardModeFirstAveragesSinceStartThenIntervals() {
        twoReports();
        assertEquals(0, run("-c", "2", "-w", "2"), err);
        assertEquals("""
                 CPU                         lun0                         lun1
                          ms   KB/t    tps   MB/s      ms   KB/t    tps   MB/s
                 50%    1.00 102.40     10   1.00    0.00   0.00      0   0.00
                 10%    1.00 102.40     50   5.00    0.00   0.00      0   0.00
                """, out);
        assertEquals(List.of(2000L), sleeps);
        assertEquals(2, service.asked);
    }

    @Test
    void totalsUsePortsWithoutSelection() {
        twoReports();
        assertEquals(0, run("-t", "-C", "-h", "-c", "2"), err);
        // interval 2: read +100 ops/+10 MiB/+100 ms, write +2 ops/+2 MiB/+4 ms, no-io +0
        assertEquals("""
                  1.00 128.00      8   1.00    2.00 1024.00      0   0.40    1.04 137.85     10   1.40
                  1.00 102.40     50   5.00    2.00 1024.00      1   1.00    1.02 120.47     51   6.00
                """, out);
    }

    @Test
    void dmaFiguresAndSelectedLun() {
        twoReports();
        assertEquals(0, run("-d", "-C", "-l", "0", "-c", "1"), err);
        assertEquals("""
                                       lun0
                    ms   KB/t    dps   MB/s
                  0.50 102.40      8   1.00
                """, out);
    }

    @Test
    void textDump() {
        twoReports();
        assertEquals(0, run("-D", "-p", "1", "-c", "1"), err);
        assertEquals("""
                port 1
                  io type 0 (NO IO)
                    bytes 0
                    operations 20
                    dmas 0
                    io time 0.020000
                    dma time 0.000000
                  io type 1 (READ)
                    bytes 10485760
                    operations 80
                    dmas 80
                    io time 0.080000
                    dma time 0.040000
                  io type 2 (WRITE)
                    bytes 4194304
                    operations 4
                    dmas 8
                    io time 0.008000
                    dma time 0.004000
                """, out);
    }

    @Test
    void jsonDumpDefaultsToThirtySeconds() throws Exception {
        twoReports();
        assertEquals(0, run("-j", "-l", "1", "-c", "2"), err);
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size());
        assertEquals("{\"luns\":[{\"num\":1,\"io\":[{\"type\":\"NO IO\",\"bytes\":0,\"operations\":0,\"dmas\":0,"
                + "\"io time\":0.000000,\"dma time\":0.000000},{\"type\":\"READ\",\"bytes\":0,\"operations\":0,"
                + "\"dmas\":0,\"io time\":0.000000,\"dma time\":0.000000},{\"type\":\"WRITE\",\"bytes\":0,"
                + "\"operations\":0,\"dmas\":0,\"io time\":0.000000,\"dma time\":0.000000}]}]}", lines.get(0));
        JsonNode doc = ControlJson.mapper().readTree(lines.get(1));
        assertEquals(1, doc.get("luns").get(0).get("num").asInt());
        assertEquals(List.of(30_000L), sleeps);
    }

    @Test
    void prometheusDump() {
        twoReports();
        assertEquals(0, run("-P"), err);
        List<String> lines = out.lines().toList();
        assertEquals(true, out.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n"));
        assertEquals("# HELP iscsi_lun_bytes Number of bytes", lines.get(3));
        assertEquals("# TYPE iscsi_lun_bytes counter", lines.get(4));
        assertEquals("iscsi_lun_bytes{lun=\"0\",type=\"NO IO\"} 0", lines.get(5));
        assertEquals("iscsi_lun_bytes{lun=\"0\",type=\"READ\"} 10485760", lines.get(6));
        assertEquals(true, lines.contains("iscsi_port_time{port=\"1\",target=\"iqn.t\",type=\"READ\"} 80000"));
        assertEquals(true, lines.contains("iscsi_port_dma_time{port=\"1\",target=\"iqn.t\",type=\"WRITE\"} 4000"));
        assertEquals(1, service.asked);
    }

    @Test
    void wrongArgumentsExit2WithOneLine() {
        twoReports();
        assertEquals(2, run("-l", "0", "-p", "1"));
        assertEquals("ctlstat: -l and -p are mutually exclusive\n", err);
        assertEquals(2, run("-P", "-c", "1"));
        assertEquals("ctlstat: -P cannot be combined with -p, -c, -w or -t\n", err);
        assertEquals(2, run("-D", "-j"));
        assertEquals("ctlstat: only one of -D, -j and -P may be given\n", err);
        assertEquals(2, run("-c", "0"));
        assertEquals("ctlstat: -c must be at least 1, not 0\n", err);
        assertEquals(2, run("-w", "x"));
        assertEquals("ctlstat: Invalid value for option '-w': 'x' is not an int\n", err);
        assertEquals(0, service.asked, "nothing may reach the daemon");
    }

    @Test
    void headerIsRepeatedEveryTwentyLinesUnlessSuppressed() {
        twoReports();
        assertEquals(0, run("-C", "-c", "21"), err);
        assertEquals(2, out.lines().filter(l -> l.contains("lun0")).count());
        assertEquals(21 + 4, out.lines().count());
        assertEquals(20, sleeps.size());
        twoReports();
        assertEquals(0, run("-C", "-h", "-c", "3"), err);
        assertEquals(3, out.lines().count());
    }

    @Test
    void unknownLunIsRefused() {
        twoReports();
        assertEquals(1, run("-l", "9", "-c", "1"));
        assertEquals("ctlstat: LUN 9 does not exist\n", err);
    }

    @Test
    void cpuLineParsing() throws IOException {
        CpuTimes t = CpuTimes.parse("cpu  100 5 50 800 40 3 2 0 7 0");
        assertEquals(1000, t.total());
        assertEquals(160, t.busy());
        assertEquals(50.0, new CpuTimes(60, 200).busyPercentSince(new CpuTimes(10, 100)));
    }
}

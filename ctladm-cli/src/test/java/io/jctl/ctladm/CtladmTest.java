package io.jctl.ctladm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jctl.control.ControlClient;
import io.jctl.control.ControlJson;
import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.LunMapArgs;
import io.jctl.control.message.ModifyLunArgs;
import io.jctl.control.message.PortStateArgs;
import io.jctl.control.message.RemoveLunArgs;
import io.jctl.control.message.SessionSelector;
import io.jctl.control.server.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtladmTest {
    final FakeService service = new FakeService();
    final List<Path> socketsUsed = new ArrayList<>();
    String out;
    String err;

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Ctladm.run(args, new PrintWriter(o, true), new PrintWriter(e, true), path -> {
            socketsUsed.add(path);
            return service;
        });
        out = o.toString();
        err = e.toString();
        return code;
    }

    void assertUsageError(String expectedErr, String... args) {
        assertEquals(2, run(args), err);
        assertEquals(expectedErr + "\n", err);
        assertEquals("", out);
        assertEquals(List.of(), service.calls, "nothing may reach the daemon");
    }

    @Test
    void createForwardsEveryFieldAndPrintsCtlReport() {
        assertEquals(0, run("create", "-b", "ramdisk", "-s", "1m", "-o", "capacity=1m", "-o", "vendor=ACME",
                "-B", "512", "-l", "2", "-S", "SER1", "-d", "DEV1", "-t", "disk"));
        assertEquals(List.of(new CreateLunArgs("ramdisk", "1m", 512, 2, "SER1", "DEV1", "disk",
                Map.of("capacity", "1m", "vendor", "ACME"))), service.calls);
        assertEquals("""
                LUN created successfully
                backend:       ramdisk
                device type:   0
                LUN size:      1048576 bytes
                blocksize      512 bytes
                LUN ID:        2
                Serial Number: MYSERIAL0002
                Device ID:     MYDEVID0002
                """, out);
        assertEquals("", err);
    }

    @Test
    void wrongArgumentsGiveOneLineAndExit2() {
        assertUsageError("ctladm create: Missing required option: '-b=backend'", "create", "-s", "1m");
        assertUsageError("ctladm create: Value for option option '-o' (name=value) should be in KEY=VALUE format "
                + "but was capacity", "create", "-b", "ramdisk", "-o", "capacity");
        assertUsageError("ctladm create: Invalid value for option '-B': 'big' is not an int", "create", "-b",
                "ramdisk", "-B", "big");
        assertUsageError("ctladm remove: Missing required option: '-l=lun_id'", "remove", "-b", "ramdisk");
        assertUsageError("ctladm modify: Missing required option: '-s=size'", "modify", "-b", "ramdisk", "-l", "0");
        assertUsageError("ctladm: Unmatched argument at index 0: 'frobnicate'", "frobnicate");
        assertUsageError("ctladm devlist: Unknown option: '-x'", "devlist", "-x");
        assertUsageError("ctladm: a command is required (try ctladm help)");
    }

    @Test
    void sessionSelectorsAreExactlyOne() {
        assertUsageError("ctladm islogout: Missing required argument (specify one of these): "
                + "(-a | -c=connection_id | -i=initiator_name | -p=initiator_addr)", "islogout");
        assertUsageError("ctladm isterminate: -a, -c=connection_id are mutually exclusive (specify only "
                + "one)", "isterminate", "-a", "-c", "3");
    }

    @Test
    void daemonRefusalGivesItsReasonAndExit1() {
        assertEquals(1, run("create", "-b", "tape"));
        assertEquals("ctladm: unknown backend \"tape\"\n", err);
        assertEquals("", out);
        assertEquals(1, run("isterminate", "-i", "iqn.x"));
        assertEquals("ctladm: No matching connections found\n", err);
    }

    @Test
    void removeAndModify() {
        assertEquals(0, run("remove", "-b", "block", "-l", "1"));
        assertEquals("LUN 1 removed successfully\n", out);
        assertEquals(0, run("modify", "-b", "ramdisk", "-l", "0", "-s", "2g"));
        assertEquals("LUN 0 modified successfully, new size 2147483648 bytes (4194304 blocks)\n", out);
        assertEquals(List.of(new RemoveLunArgs("block", 1), new ModifyLunArgs("ramdisk", 0, "2g")), service.calls);
    }

    @Test
    void devlistTable() {
        assertEquals(0, run("devlist"));
        assertEquals("""
                LUN Backend       Size (Blocks)   BS Serial Number    Device ID
                  0 ramdisk             2097152  512 MYSERIAL0000     MYDEVID0000
                  1 block                131072 4096 MYSERIAL0001     MYDEVID0001
                """, out);
        assertEquals(0, run("devlist", "-v", "-b", "block"));
        assertEquals("""
                LUN Backend       Size (Blocks)   BS Serial Number    Device ID
                  1 block                131072 4096 MYSERIAL0001     MYDEVID0001
                      file=/srv/a.img
                      num_threads=32
                """, out);
        assertEquals(new DevListArgs("block"), service.calls.get(1));
    }

    @Test
    void devlistJsonCarriesTheSameData() throws Exception {
        assertEquals(0, run("devlist", "--json"));
        String after = out;
        assertEquals(0, run("--json", "devlist"));
        assertEquals(after, out);
        JsonNode doc = ControlJson.mapper().readTree(out);
        assertEquals(2, doc.size());
        assertEquals(131072, doc.get(1).get("sizeBlocks").asLong());
        assertEquals("32", doc.get(1).get("backendInfo").get("num_threads").asText());
    }

    @Test
    void portlistWithInitiatorsAndLunMap() {
        assertEquals(0, run("portlist", "-i", "-l", "-v"));
        assertEquals("""
                Port Online Frontend Name     pp vp
                1    YES    iscsi    iscsi    1  0  iqn.2026-11.io.jctl:target0,t,0x0001
                  Target: iqn.2026-11.io.jctl:target0
                  Initiator 0: iqn.1994-05.com.redhat:a,i,0x023d00000001
                  All LUNs mapped
                2    NO     iscsi    iscsi    2  0  iqn.2026-11.io.jctl:t2,t,0x0002
                  Target: iqn.2026-11.io.jctl:t2
                  LUN 0: 5
                  LUN 1: 6
                  ha_shared=on
                """, out);
    }

    @Test
    void islistTableAndVerbose() {
        assertEquals(0, run("islist"));
        assertEquals("""
                  ID Portal           Initiator name                       Target name
                   3 127.0.0.1:51234  iqn.1994-05.com.redhat:a             iqn.2026-11.io.jctl:target0
                """, out);
        assertEquals(0, run("islist", "-v"));
        assertTrue(out.contains("DataSegmentLen:   262144/65536\n"), out);
        assertTrue(out.contains("Header digest:    CRC32C\n"), out);
        assertTrue(out.contains("ISID:             0x023d00000001\n"), out);
    }

    @Test
    void islogoutSendsTheSelector() {
        assertEquals(0, run("islogout", "-p", "127.0.0.1"));
        assertEquals("iSCSI logout requests submitted\n", out);
        assertEquals(List.of(new SessionSelector(false, null, null, "127.0.0.1")), service.calls);
    }

    @Test
    void lunmapShowsTheNewMap() {
        assertEquals(0, run("lunmap", "-p", "2", "-l", "3", "-L", "9"));
        assertEquals("""
                Port Online Frontend Name     pp vp
                2    NO     iscsi    iscsi    2  0  iqn.2026-11.io.jctl:t2,t,0x0002
                  LUN 0: 5
                  LUN 1: 6
                  LUN 3: 9
                """, out);
        assertEquals(List.of(new LunMapArgs(2, 3, 9)), service.calls);
        assertEquals(1, run("lunmap", "-p", "7"));
        assertEquals("ctladm: port 7 does not exist\n", err);
        service.calls.clear();
        assertUsageError("ctladm lunmap: -L needs -l (the port LUN)", "lunmap", "-p", "2", "-L", "9");
        assertUsageError("ctladm lunmap: Missing required option: '-p=port'", "lunmap", "-l", "1");
    }

    @Test
    void subcommandHelpNeedsNoOtherArguments() {
        assertEquals(0, run("create", "--help"));
        assertTrue(out.startsWith("Usage: ctladm create "), out);
        assertEquals(List.of(), service.calls);
    }

    @Test
    void portOnlineOffline() {
        assertEquals(0, run("port", "-o", "off", "-p", "1"));
        assertEquals("Port 1 (iqn.2026-11.io.jctl:target0,t,0x0001) is now offline\n", out);
        assertEquals(List.of(new PortStateArgs(1, null, false)), service.calls);
        assertEquals(0, run("port", "-o", "on", "-t", "iscsi"));
        assertEquals("Port 1 (iqn.2026-11.io.jctl:target0,t,0x0001) is now online\n", out);
        service.calls.clear();
        assertUsageError("ctladm port: Invalid value for option '-o': expected one of [on, off] (case-sensitive) "
                + "but was 'maybe'", "port", "-o", "maybe", "-p", "1");
        assertUsageError("ctladm port: Missing required argument (specify one of these): (-p=port | -t=frontend)",
                "port", "-o", "on");
    }

    @Test
    void reloadListsChanges() {
        service.reloadChanges = List.of("lun a: created as LUN 1", "target iqn.2026-11.x:t: changed");
        assertEquals(0, run("reload"));
        assertEquals("""
                configuration reloaded:
                  lun a: created as LUN 1
                  target iqn.2026-11.x:t: changed
                """, out);
        service.reloadChanges = List.of();
        assertEquals(0, run("reload"));
        assertEquals("configuration reloaded: no changes\n", out);
        service.reloadChanges = null;
        assertEquals(1, run("reload"));
        assertEquals("ctladm: nothing to reload: ctld runs the embedded default (no --config)\n", err);
    }

    @Test
    void socketOptionBeforeOrAfterTheCommand() {
        assertEquals(0, run("--socket", "/tmp/a.sock", "devlist"));
        assertEquals(0, run("devlist", "--socket", "/tmp/b.sock"));
        assertEquals(List.of(Path.of("/tmp/a.sock"), Path.of("/tmp/b.sock")), socketsUsed);
    }

    @Test
    void unreachableDaemonOverARealSocket(@TempDir Path dir) {
        Path socket = dir.resolve("none.sock");
        StringWriter e = new StringWriter();
        int code;
        try (var connector = new Ctladm.ClientConnector(ControlClient::new)) {
            code = Ctladm.run(new String[] {"--socket", socket.toString(), "devlist"},
                    new PrintWriter(new StringWriter()), new PrintWriter(e, true), connector);
        }
        assertEquals(1, code);
        assertTrue(e.toString().startsWith("ctladm: cannot reach ctld at " + socket + ": "), e.toString());
        assertEquals(1, e.toString().lines().count());
    }

    @Test
    void realSocketRoundTrip(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("ctld.sock");
        try (ControlServer server = ControlServer.start(socket, service);
             var connector = new Ctladm.ClientConnector(ControlClient::new)) {
            StringWriter o = new StringWriter();
            int code = Ctladm.run(new String[] {"--socket", socket.toString(), "devlist", "-b", "ramdisk"},
                    new PrintWriter(o, true), new PrintWriter(new StringWriter()), connector);
            assertEquals(0, code);
            assertEquals("""
                    LUN Backend       Size (Blocks)   BS Serial Number    Device ID
                      0 ramdisk             2097152  512 MYSERIAL0000     MYDEVID0000
                    """, o.toString());
        }
    }
}

package io.jctl.ctld;

import io.jctl.control.ControlClient;
import io.jctl.control.ControlException;
import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.LunInfo;
import io.jctl.control.message.LunMapArgs;
import io.jctl.control.message.ModifyLunArgs;
import io.jctl.control.message.PortInfo;
import io.jctl.control.message.PortStateArgs;
import io.jctl.control.message.RemoveLunArgs;
import io.jctl.control.message.SessionSelector;
import io.jctl.control.message.StatsArgs;
import io.jctl.core.port.Port;
import io.jctl.ctld.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonTest {
    static final List<InetSocketAddress> ANY_PORT = List.of(new InetSocketAddress("127.0.0.1", 0));

    @TempDir
    Path dir;

    DaemonOptions options(Path config) {
        return new DaemonOptions(config, ANY_PORT, dir.resolve("run/ctld.sock"), dir.resolve("state"), 1);
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void embeddedDefaultServesAndShutsDownCleanly() throws Exception {
        Path socket;
        try (Daemon d = Daemon.start(options(null));
             ControlClient client = new ControlClient(d.controlSocket())) {
            socket = d.controlSocket();
            InetSocketAddress iscsi = d.iscsiAddresses().get(0);
            assertNotEquals(0, iscsi.getPort());
            try (Socket s = new Socket(iscsi.getAddress(), iscsi.getPort())) {
                assertTrue(s.isConnected());
            }
            LunInfo lun0 = client.devlist(new DevListArgs(null)).get(0);
            assertEquals(0, lun0.id());
            assertEquals("ramdisk", lun0.backend());
            assertEquals(2097152, lun0.sizeBlocks());
            assertEquals(512, lun0.blockSize());
            assertEquals("1G", lun0.options().get("capacity"));

            PortInfo port = client.portlist().get(0);
            assertEquals("iqn.2026-11.io.jctl:target0,t,0x0001", port.name());
            assertNull(port.lunMap(), "the default target's LUN map is off");

            // a LUN created with -l N shows up as LUN N through every port whose map is off
            LunInfo created = client.create(new CreateLunArgs("ramdisk", "1m", null, 5, null, null, null,
                    Map.of("capacity", "1m")));
            assertEquals(5, created.id());
            assertEquals("MYSERIAL0005", created.serial());
            Port corePort = d.core().ports().get(port.id()).orElseThrow();
            assertEquals(List.of(0, 5), List.copyOf(d.core().visibleLuns(corePort).keySet()));

            assertFalse(client.portState(new PortStateArgs(port.id(), null, false)).get(0).online());
            assertFalse(corePort.online());
            assertTrue(client.portState(new PortStateArgs(null, "all", true)).get(0).online());
            assertEquals("no port of frontend type 'fc'",
                    refusal(() -> client.portState(new PortStateArgs(null, "fc", true))));
            assertEquals("give either a port (-p) or a frontend type (-t)",
                    refusal(() -> client.portState(new PortStateArgs(1, "iscsi", true))));

            LunInfo grown = client.modify(new ModifyLunArgs("ramdisk", 5, "2m"));
            assertEquals(4096, grown.sizeBlocks());
            assertEquals(5, client.remove(new RemoveLunArgs("ramdisk", 5)).id());
            assertEquals(1, client.devlist(new DevListArgs("ramdisk")).size());

            var stats = client.stats(StatsArgs.everything());
            assertEquals(List.of(0), stats.luns().stream().map(i -> i.num()).toList());
            assertEquals("iqn.2026-11.io.jctl:target0", stats.ports().get(0).target());
            assertTrue(stats.uptimeNanos() > 0);
        }
        assertFalse(Files.exists(socket), "socket removed on shutdown");
        // the state directory lock is released: a new daemon can take it
        try (Daemon again = Daemon.start(options(null))) {
            assertEquals(1, again.core().luns().size());
        }
    }

    @Test
    void daemonValidatesEveryRequest() throws Exception {
        try (Daemon d = Daemon.start(options(null));
             ControlClient client = new ControlClient(d.controlSocket())) {
            assertEquals("unknown backend 'tape' (known: block, ramdisk)", refusal(() ->
                    client.create(new CreateLunArgs("tape", "1m", null, null, null, null, null, null))));
            assertEquals("a backend (-b) is required", refusal(() ->
                    client.create(new CreateLunArgs(null, "1m", null, null, null, null, null, null))));
            assertEquals("invalid size: not a size: '1q'", refusal(() ->
                    client.create(new CreateLunArgs("ramdisk", "1q", null, null, null, null, null, null))));
            assertEquals("LUN 0 already exists", refusal(() ->
                    client.create(new CreateLunArgs("ramdisk", "1m", null, 0, null, null, null, null))));
            assertEquals("LUN id 1024 is out of range 0..1023", refusal(() ->
                    client.create(new CreateLunArgs("ramdisk", "1m", null, 1024, null, null, null, null))));
            assertEquals("block: option file is required (a regular file or block device)", refusal(() ->
                    client.create(new CreateLunArgs("block", null, null, null, null, null, null, null))));
            assertEquals("unsupported device type 'tape' (expected disk, processor or cd)", refusal(() ->
                    client.create(new CreateLunArgs("ramdisk", "1m", null, null, null, null, "tape", null))));
            assertEquals("LUN 0 belongs to backend ramdisk, not block", refusal(() ->
                    client.remove(new RemoveLunArgs("block", 0))));
            assertEquals("LUN 9 does not exist", refusal(() -> client.remove(new RemoveLunArgs("ramdisk", 9))));
            assertEquals("a new size (-s) is required", refusal(() ->
                    client.modify(new ModifyLunArgs("ramdisk", 0, null))));
            assertEquals("No matching connections found", refusal(() ->
                    client.islogout(SessionSelector.everySession())));
            assertEquals("give exactly one of: all (-a), connection id (-c), initiator name (-i), initiator "
                    + "address (-p)", refusal(() -> client.isterminate(new SessionSelector(true, 1L, null, null))));
            // nothing changed
            assertEquals(1, client.devlist(new DevListArgs(null)).size());
        }
    }

    interface Call {
        void run() throws ControlException;
    }

    static String refusal(Call call) {
        return assertThrows(ControlException.class, call::run).getMessage();
    }

    @Test
    void configuredTargetsGetPortsWithLunMaps() throws Exception {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[1 << 20]);
        Path config = write("ctl.yaml", """
                portal-group:
                  pg1: {tag: 5, listen: 127.0.0.1:0, discovery-auth-group: no-authentication}
                lun:
                  disk: {backend: block, path: %s, serial: DISK1}
                target:
                  iqn.2026-11.io.jctl:a:
                    auth-group: no-authentication
                    portal-group: [default, pg1]
                    lun:
                      0: {backend: ramdisk, size: 1m}
                      2: disk
                """.formatted(disk));
        try (Daemon d = Daemon.start(options(config));
             ControlClient client = new ControlClient(d.controlSocket())) {
            assertEquals(2, d.iscsiAddresses().size());
            List<PortInfo> ports = client.portlist();
            assertEquals(List.of("iqn.2026-11.io.jctl:a,t,0x0001", "iqn.2026-11.io.jctl:a,t,0x0005"),
                    ports.stream().map(PortInfo::name).toList());
            List<LunInfo> luns = client.devlist(new DevListArgs(null));
            int diskId = luns.stream().filter(l -> l.serial().equals("DISK1")).findFirst().orElseThrow().id();
            int inlineId = luns.stream().filter(l -> l.backend().equals("ramdisk")).findFirst().orElseThrow().id();
            assertEquals(Map.of(0, inlineId, 2, diskId), ports.get(0).lunMap());
            assertEquals(2048, luns.stream().filter(l -> l.id() == diskId).findFirst().orElseThrow().sizeBlocks());
            assertEquals("iqn.2026-11.io.jctl:a,lun,0",
                    luns.stream().filter(l -> l.id() == inlineId).findFirst().orElseThrow().options()
                            .get("scsiname"));
            // a LUN created later is not visible through a port whose map is on, until it is mapped
            client.create(new CreateLunArgs("ramdisk", "1m", null, 7, null, null, null, null));
            Port p = d.core().ports().get(ports.get(0).id()).orElseThrow();
            assertEquals(List.of(0, 2), List.copyOf(d.core().visibleLuns(p).keySet()));
            PortInfo mapped = client.lunmap(new LunMapArgs(p.id(), 4, 7));
            assertEquals(Map.of(0, inlineId, 2, diskId, 4, 7), mapped.lunMap());
            assertEquals(List.of(0, 2, 4), List.copyOf(d.core().visibleLuns(p).keySet()));
            client.lunmap(new LunMapArgs(p.id(), 0, null));
            assertEquals(List.of(2, 4), List.copyOf(d.core().visibleLuns(p).keySet()));
            assertEquals("port 1 does not map LUN 0", refusal(() -> client.lunmap(new LunMapArgs(p.id(), 0, null))));
            assertEquals("LUN 99 does not exist", refusal(() -> client.lunmap(new LunMapArgs(p.id(), 1, 99))));
            assertEquals("port 9 does not exist", refusal(() -> client.lunmap(new LunMapArgs(9, null, null))));
            assertNull(client.lunmap(new LunMapArgs(p.id(), null, null)).lunMap());
            assertEquals(List.of(Math.min(diskId, inlineId), Math.max(diskId, inlineId), 7),
                    List.copyOf(d.core().visibleLuns(p).keySet()), "map off: every LUN under its own number");
            assertEquals("port 1 has no LUN map (every LUN is visible); nothing to unmap",
                    refusal(() -> client.lunmap(new LunMapArgs(p.id(), 3, null))));
        }
    }

    @Test
    void badConfigStartsNothing() throws Exception {
        Path config = write("bad.yaml", """
                target:
                  iqn.2026-11.io.jctl:t0:
                    lun:
                      0: {backend: ramdisk, size: 12x}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> Daemon.start(options(config)));
        assertEquals(config + ": target.\"iqn.2026-11.io.jctl:t0\".lun.0.size: not a size: '12x'", e.getMessage());
        assertFalse(Files.exists(dir.resolve("run/ctld.sock")));
    }

    @Test
    void lunThatCannotBeCreatedIsAConfigErrorAndEverythingIsUndone() throws Exception {
        Path config = write("ctl.yaml", """
                lun:
                  ok: {backend: ramdisk, size: 1m}
                  disk: {backend: block, path: /nonexistent/jctl.img}
                target:
                  iqn.2026-11.io.jctl:t0: {auth-group: no-authentication, lun: {0: ok, 1: disk}}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> Daemon.start(options(config)));
        assertEquals(config + ": lun.disk: block: /nonexistent/jctl.img does not exist", e.getMessage());
        assertFalse(Files.exists(dir.resolve("run/ctld.sock")));
        try (Daemon d = Daemon.start(options(null))) {
            assertEquals(1, d.core().luns().size(), "the state directory was released");
        }
    }

    @Test
    void secondDaemonIsRefused() throws Exception {
        try (Daemon first = Daemon.start(options(null))) {
            DaemonException sameSocket = assertThrows(DaemonException.class, () -> Daemon.start(
                    new DaemonOptions(null, ANY_PORT, first.controlSocket(), dir.resolve("state2"), 1)));
            assertEquals("another ctld is already listening on " + first.controlSocket(), sameSocket.getMessage());
            DaemonException sameState = assertThrows(DaemonException.class, () -> Daemon.start(
                    new DaemonOptions(null, ANY_PORT, dir.resolve("other.sock"), dir.resolve("state"), 1)));
            assertEquals("another ctld (pid " + ProcessHandle.current().pid() + ") is using state directory "
                    + dir.resolve("state"), sameState.getMessage());
            assertFalse(Files.exists(dir.resolve("other.sock")));
            // the first one still answers
            try (ControlClient client = new ControlClient(first.controlSocket())) {
                assertEquals(1, client.devlist(new DevListArgs(null)).size());
            }
        }
    }

    @Test
    void takenIscsiPortStopsTheStartAndUndoesIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            DaemonException e = assertThrows(DaemonException.class, () -> Daemon.start(new DaemonOptions(null,
                    List.of(addr), dir.resolve("run/ctld.sock"), dir.resolve("state"), 1)));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + addr.getPort()
                    + " (portal group default): "), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("run/ctld.sock")), "control socket removed again");
        try (Daemon d = Daemon.start(options(null))) {
            assertEquals(1, d.core().luns().size(), "state directory released");
        }
    }

    @Test
    void mainRejectsBadArgumentsAndConfigWithExit2() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new String[] {"--listen", "127.0.0.1:x"}, new PrintWriter(err, true)));
        assertEquals("ctld: --listen '127.0.0.1:x': port 'x' is not 0..65535\n", err.toString());

        Path config = write("c.yaml", "timeout: 0\n");
        StringWriter err2 = new StringWriter();
        assertEquals(2, Main.run(new String[] {"--config", config.toString(), "--control-socket",
                dir.resolve("m.sock").toString(), "--state-dir", dir.resolve("mstate").toString(), "--listen",
                "127.0.0.1:0"}, new PrintWriter(err2, true)));
        assertEquals("ctld: " + config + ": timeout: 0 is out of range 1..86400\n", err2.toString());
    }

    @Test
    void stateDirectoryDefaults() {
        assertEquals(Path.of("/var/lib/jctl"), StateDirectory.defaultPath(Map.of(), true, "/root"));
        assertEquals(Path.of("/home/a/.st/jctl"),
                StateDirectory.defaultPath(Map.of("XDG_STATE_HOME", "/home/a/.st"), false, "/home/a"));
        assertEquals(Path.of("/home/a/.local/state/jctl"), StateDirectory.defaultPath(Map.of(), false, "/home/a"));
    }
}

package io.jctl.ctld;

import io.jctl.control.ControlClient;
import io.jctl.control.ControlException;
import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.LunInfo;
import io.jctl.control.message.PortInfo;
import io.jctl.ctld.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReloadTest {
    @TempDir
    Path dir;

    static final String BASE = """
            lun:
              keep: {backend: ramdisk, size: 1m, serial: KEEP}
              grow: {backend: ramdisk, size: 1m, serial: GROW}
              swap: {backend: ramdisk, size: 1m, serial: SWAP1}
              gone: {backend: ramdisk, size: 1m, serial: GONE}
            target:
              iqn.2026-11.io.jctl:a:
                auth-group: no-authentication
                lun: {0: keep, 1: grow, 2: swap, 3: gone}
              iqn.2026-11.io.jctl:b:
                auth-group: no-authentication
                lun: {0: keep}
            """;

    Daemon start(Path config) throws Exception {
        return Daemon.start(new DaemonOptions(config, List.of(new InetSocketAddress("127.0.0.1", 0)),
                dir.resolve("ctld.sock"), dir.resolve("state"), 1));
    }

    static LunInfo bySerial(List<LunInfo> luns, String serial) {
        return luns.stream().filter(l -> l.serial().equals(serial)).findFirst().orElseThrow();
    }

    @Test
    void appliesOnlyTheDifference() throws Exception {
        Path config = dir.resolve("ctl.yaml");
        Files.writeString(config, BASE);
        try (Daemon d = start(config); ControlClient client = new ControlClient(d.controlSocket())) {
            assertEquals(List.of(), d.reload());
            List<LunInfo> before = client.devlist(new DevListArgs(null));
            int keepId = bySerial(before, "KEEP").id();
            int growId = bySerial(before, "GROW").id();
            int swapId = bySerial(before, "SWAP1").id();
            int goneId = bySerial(before, "GONE").id();
            // a LUN of ctladm's is not the configuration's business
            client.create(new CreateLunArgs("ramdisk", "1m", null, 100, "ADMIN", null, null, null));

            Files.writeString(config, """
                    lun:
                      keep: {backend: ramdisk, size: 1m, serial: KEEP}
                      grow: {backend: ramdisk, size: 2m, serial: GROW}
                      swap: {backend: ramdisk, size: 1m, serial: SWAP2}
                      new: {backend: ramdisk, size: 1m, serial: NEW}
                    target:
                      iqn.2026-11.io.jctl:a:
                        auth-group: no-authentication
                        lun: {0: keep, 1: grow, 2: swap, 5: new}
                      iqn.2026-11.io.jctl:c:
                        auth-group: no-authentication
                        lun: {0: new}
                    """);
            List<String> changes = d.reload();
            List<LunInfo> after = client.devlist(new DevListArgs(null));
            int swapNew = bySerial(after, "SWAP2").id();
            int newId = bySerial(after, "NEW").id();
            assertEquals(List.of("lun grow: LUN " + growId + " resized",
                    "lun swap: replaced, LUN " + swapId + " by LUN " + swapNew,
                    "lun new: created as LUN " + newId,
                    "lun gone: LUN " + goneId + " removed",
                    "target iqn.2026-11.io.jctl:a: changed",
                    "target iqn.2026-11.io.jctl:c: added",
                    "target iqn.2026-11.io.jctl:b: removed"), changes);
            assertEquals(keepId, bySerial(after, "KEEP").id(), "unchanged LUN untouched");
            assertEquals(4096, bySerial(after, "GROW").sizeBlocks());
            assertEquals(100, bySerial(after, "ADMIN").id());
            assertEquals(List.of("ADMIN", "GROW", "KEEP", "NEW", "SWAP2"),
                    after.stream().map(LunInfo::serial).sorted().toList());

            List<PortInfo> ports = client.portlist();
            assertEquals(List.of("iqn.2026-11.io.jctl:a", "iqn.2026-11.io.jctl:c"),
                    ports.stream().map(PortInfo::targetName).toList());
            assertEquals(Map.of(0, keepId, 1, growId, 2, swapNew, 5, newId), ports.get(0).lunMap());
            assertEquals(Map.of(0, newId), ports.get(1).lunMap());
        }
    }

    @Test
    void failedReloadChangesNothing() throws Exception {
        Path config = dir.resolve("ctl.yaml");
        Files.writeString(config, BASE);
        try (Daemon d = start(config); ControlClient client = new ControlClient(d.controlSocket())) {
            List<LunInfo> before = client.devlist(new DevListArgs(null));
            List<PortInfo> portsBefore = client.portlist();
            // the new LUN is fine, the grown one fine, but the block LUN's file is missing: all undone
            Files.writeString(config, BASE.replace("size: 1m, serial: GROW", "size: 2m, serial: GROW")
                    .replace("target:", """
                      extra: {backend: ramdisk, size: 1m, serial: EXTRA}
                      broken: {backend: block, path: /nonexistent/x.img}
                    target:"""));
            ControlException e = assertThrows(ControlException.class, client::reload);
            assertEquals(config + ": lun.broken: block: /nonexistent/x.img does not exist", e.getMessage());
            assertEquals(before, client.devlist(new DevListArgs(null)));
            assertEquals(portsBefore, client.portlist());

            Files.writeString(config, BASE.replace("lun: {0: keep}", "lun: {0: missing}"));
            ConfigException bad = assertThrows(ConfigException.class, d::reload);
            assertEquals(config + ": target.\"iqn.2026-11.io.jctl:b\".lun.0: lun 'missing' is not defined",
                    bad.getMessage());
            assertEquals(before, client.devlist(new DevListArgs(null)));
        }
    }

    @Test
    void portalGroupsInUseCannotChange() throws Exception {
        Path config = dir.resolve("ctl.yaml");
        Files.writeString(config, BASE);
        try (Daemon d = start(config)) {
            Files.writeString(config, BASE + """
                    portal-group:
                      default: {listen: 127.0.0.1:0, discovery-auth-group: no-authentication}
                    """);
            ConfigException e = assertThrows(ConfigException.class, d::reload);
            assertEquals(config + ": portal-group.default: changed or no longer used; portal groups in use change "
                    + "only at restart", e.getMessage());
        }
    }

    @Test
    void loginTimeoutIsFixedDebugLevelIsNot() throws Exception {
        Path config = dir.resolve("ctl.yaml");
        Files.writeString(config, BASE);
        try (Daemon d = start(config)) {
            Files.writeString(config, "timeout: 30\n" + BASE);
            ConfigException e = assertThrows(ConfigException.class, d::reload);
            assertEquals(config + ": timeout: changed; the login timeout changes only at restart", e.getMessage());
            Files.writeString(config, "debug: 1\n" + BASE);
            assertEquals(List.of("debug: 0 -> 1"), d.reload());
            Files.writeString(config, BASE);
            assertEquals(List.of("debug: 1 -> 0"), d.reload());
        }
    }

    @Test
    void embeddedDefaultHasNothingToReload() throws Exception {
        try (Daemon d = start(null)) {
            DaemonException e = assertThrows(DaemonException.class, d::reload);
            assertEquals("nothing to reload: ctld runs the embedded default (no --config)", e.getMessage());
        }
    }
}

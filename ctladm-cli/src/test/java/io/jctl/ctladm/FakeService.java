package io.jctl.ctladm;

import io.jctl.control.ControlException;
import io.jctl.control.ControlService;
import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
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
import io.jctl.control.message.StatsReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Canned answers; records every call so tests can prove that bad arguments never reach the daemon. */
class FakeService implements ControlService {
    final List<Object> calls = new ArrayList<>();
    List<String> reloadChanges;
    final List<LunInfo> luns = new ArrayList<>(List.of(
            new LunInfo(0, "ramdisk", 0, 2097152, 512, "MYSERIAL0000", "MYDEVID0000", Map.of("capacity", "1G"),
                    Map.of()),
            new LunInfo(1, "block", 0, 131072, 4096, "MYSERIAL0001", "MYDEVID0001", Map.of("file", "/srv/a.img"),
                    Map.of("file", "/srv/a.img", "num_threads", "32"))));

    @Override
    public LunInfo create(CreateLunArgs args) throws ControlException {
        calls.add(args);
        if (!args.backend().equals("ramdisk")) {
            throw new ControlException("unknown backend \"" + args.backend() + "\"");
        }
        return new LunInfo(args.lunId() == null ? 2 : args.lunId(), "ramdisk", 0, 2048, 512, "MYSERIAL0002",
                "MYDEVID0002", args.options(), Map.of());
    }

    @Override
    public LunInfo remove(RemoveLunArgs args) throws ControlException {
        calls.add(args);
        return luns.stream().filter(l -> l.id() == args.lunId()).findFirst()
                .orElseThrow(() -> new ControlException("LUN " + args.lunId() + " is not defined"));
    }

    @Override
    public LunInfo modify(ModifyLunArgs args) {
        calls.add(args);
        LunInfo l = luns.get(0);
        return new LunInfo(l.id(), l.backend(), 0, 4194304, 512, l.serial(), l.deviceId(), l.options(), Map.of());
    }

    @Override
    public List<LunInfo> devlist(DevListArgs args) {
        calls.add(args);
        return luns.stream().filter(l -> args.backend() == null || l.backend().equals(args.backend())).toList();
    }

    @Override
    public List<PortInfo> portlist() {
        calls.add("portlist");
        return ports();
    }

    private static List<PortInfo> ports() {
        return List.of(
                new PortInfo(1, true, "iscsi", "iqn.2026-11.io.jctl:target0,t,0x0001", 1, 0,
                        "iqn.2026-11.io.jctl:target0", null, List.of("iqn.1994-05.com.redhat:a,i,0x023d00000001"),
                        Map.of()),
                new PortInfo(2, false, "iscsi", "iqn.2026-11.io.jctl:t2,t,0x0002", 2, 0, "iqn.2026-11.io.jctl:t2",
                        Map.of(0, 5, 1, 6), List.of(), Map.of("ha_shared", "on")));
    }

    @Override
    public List<SessionEntry> islist() {
        calls.add("islist");
        return List.of(new SessionEntry(3, "iqn.1994-05.com.redhat:a", "host-a", "127.0.0.1:51234",
                "023d00000001", 1, "iqn.2026-11.io.jctl:target0", null, 1, "CRC32C", "None", 262144, 65536,
                1048576, 65536, true, false));
    }

    @Override
    public SessionActionResult islogout(SessionSelector selector) {
        calls.add(selector);
        return new SessionActionResult(1);
    }

    @Override
    public SessionActionResult isterminate(SessionSelector selector) throws ControlException {
        calls.add(selector);
        throw new ControlException("No matching connections found");
    }

    @Override
    public StatsReport stats(StatsArgs args) {
        throw new IllegalStateException("ctladm never asks for stats");
    }

    @Override
    public ReloadResult reload() throws ControlException {
        calls.add("reload");
        if (reloadChanges == null) {
            throw new ControlException("nothing to reload: ctld runs the embedded default (no --config)");
        }
        return new ReloadResult(reloadChanges);
    }

    @Override
    public PortInfo lunmap(LunMapArgs args) throws ControlException {
        calls.add(args);
        if (args.port() != 2) {
            throw new ControlException("port " + args.port() + " does not exist");
        }
        return new PortInfo(2, false, "iscsi", "iqn.2026-11.io.jctl:t2,t,0x0002", 2, 0, "iqn.2026-11.io.jctl:t2",
                Map.of(0, 5, 1, 6, 3, 9), List.of(), Map.of());
    }

    @Override
    public List<PortInfo> portState(PortStateArgs args) throws ControlException {
        calls.add(args);
        if (args.port() != null && args.port() != 1) {
            throw new ControlException("port " + args.port() + " does not exist");
        }
        PortInfo p = ports().get(0);
        return List.of(new PortInfo(p.id(), args.online(), p.frontend(), p.name(), p.physicalPort(),
                p.virtualPort(), p.targetName(), p.lunMap(), p.initiators(), p.options()));
    }
}

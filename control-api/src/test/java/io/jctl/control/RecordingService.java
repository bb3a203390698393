package io.jctl.control;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A control service that keeps LUNs in a list and records the calls it got. */
public class RecordingService implements ControlService {
    public final List<Object> calls = new CopyOnWriteArrayList<>();
    public final List<LunInfo> luns = new ArrayList<>();

    @Override
    public synchronized LunInfo create(CreateLunArgs args) throws ControlException {
        calls.add(args);
        if (!"ramdisk".equals(args.backend())) {
            throw new ControlException("unknown backend \"" + args.backend() + "\"");
        }
        int id = args.lunId() == null ? luns.size() : args.lunId();
        LunInfo lun = new LunInfo(id, args.backend(), 0, 2048, 512, String.format("MYSERIAL%04d", id),
                String.format("MYDEVID%04d", id), args.options(), Map.of("capacity", "0"));
        luns.add(lun);
        return lun;
    }

    @Override
    public synchronized LunInfo remove(RemoveLunArgs args) throws ControlException {
        calls.add(args);
        for (LunInfo l : luns) {
            if (l.id() == args.lunId()) {
                luns.remove(l);
                return l;
            }
        }
        throw new ControlException("LUN " + args.lunId() + " is not defined");
    }

    @Override
    public LunInfo modify(ModifyLunArgs args) throws ControlException {
        calls.add(args);
        throw new ControlException("resize not supported here");
    }

    @Override
    public synchronized List<LunInfo> devlist(DevListArgs args) {
        calls.add(args);
        return List.copyOf(luns);
    }

    @Override
    public List<PortInfo> portlist() {
        return List.of(new PortInfo(1, true, "iscsi", "iqn.x:t,t,0x0001", 1, 0, "iqn.x:t", Map.of(0, 3),
                List.of("iqn.i,i,0x023d00000001"), Map.of()));
    }

    @Override
    public List<SessionEntry> islist() {
        return List.of(new SessionEntry(7, "iqn.i", null, "127.0.0.1:50000", "023d00000001", 1, "iqn.x:t", null,
                1, "CRC32C", "None", 262144, 65536, 1048576, 65536, true, false));
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
        calls.add(args);
        return new StatsReport(5_000_000_000L, true,
                List.of(new StatsItem(0, null, List.of(new IoStats(IoStats.READ, 4096, 1, 1, 1000, 500)))),
                List.of());
    }

    @Override
    public ReloadResult reload() {
        calls.add("reload");
        return new ReloadResult(List.of("lun a: created as LUN 1"));
    }

    @Override
    public PortInfo lunmap(LunMapArgs args) {
        calls.add(args);
        return portlist().get(0);
    }

    @Override
    public List<PortInfo> portState(PortStateArgs args) {
        calls.add(args);
        return portlist();
    }
}

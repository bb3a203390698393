package io.jctl.ctld.control;

import io.jctl.control.ControlException;
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
import io.jctl.core.TargetCore;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.backend.SizeParser;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunConfigException;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.stats.IoCounters;
import io.jctl.core.stats.IoType;
import io.jctl.core.stats.StatsSnapshot;
import io.jctl.core.task.Nexus;
import io.jctl.ctld.DaemonException;
import io.jctl.ctld.config.ConfigException;
import io.jctl.iscsi.IscsiFrontend;
import io.jctl.iscsi.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The daemon side of the control socket: checks every request (the daemon is the authority, whatever a client
 * sent) and carries it out on the core and the iSCSI frontend.
 */
public final class DaemonControl implements ControlService {
    private static final Logger log = LoggerFactory.getLogger(DaemonControl.class);

    /** Re-reads the configuration; the one-line reason of a failure is what ctladm shows. */
    @FunctionalInterface
    public interface Reloader {
        List<String> reload() throws ConfigException, DaemonException;
    }

    private final TargetCore core;
    private final IscsiFrontend frontend;
    private final long startNanos;
    private final Reloader reloader;

    public DaemonControl(TargetCore core, IscsiFrontend frontend, long startNanos, Reloader reloader) {
        this.core = core;
        this.frontend = frontend;
        this.startNanos = startNanos;
        this.reloader = reloader;
    }

    @Override
    public ReloadResult reload() throws ControlException {
        try {
            return new ReloadResult(reloader.reload());
        } catch (ConfigException | DaemonException e) {
            log.warn("reload refused: {}", e.getMessage());
            throw new ControlException(e.getMessage());
        }
    }

    @Override
    public LunInfo create(CreateLunArgs a) throws ControlException {
        String backend = requireBackend(a.backend());
        LunType type = a.deviceType() == null ? LunType.DIRECT : deviceType(a.deviceType());
        long size = a.size() == null ? LunSpec.SIZE_AUTO : size(a.size());
        int blockSize = a.blockSize() != null ? a.blockSize() : type == LunType.CDROM ? 2048 : 512;
        int id = a.lunId() == null ? -1 : a.lunId();
        if (a.lunId() != null && (id < 0 || id >= TargetCore.MAX_LUNS)) {
            throw new ControlException("LUN id " + id + " is out of range 0.." + (TargetCore.MAX_LUNS - 1));
        }
        try {
            Lun lun = core.createLun(new LunConfig(id, type, backend, size, blockSize, a.serial(), a.deviceId(),
                    a.options()));
            log.info("ctladm: created LUN {} ({} {} blocks of {})", lun.id(), backend,
                    lun.storage().blockCount(), lun.storage().blockSize());
            return info(lun);
        } catch (LunConfigException e) {
            throw new ControlException(e.getMessage());
        }
    }

    @Override
    public LunInfo remove(RemoveLunArgs a) throws ControlException {
        Lun lun = existing(a.backend(), a.lunId());
        LunInfo before = info(lun);
        try {
            core.removeLun(lun.id());
        } catch (LunConfigException e) {
            throw new ControlException(e.getMessage());
        }
        log.info("ctladm: removed LUN {}", lun.id());
        return before;
    }

    @Override
    public LunInfo modify(ModifyLunArgs a) throws ControlException {
        Lun lun = existing(a.backend(), a.lunId());
        if (a.size() == null) {
            throw new ControlException("a new size (-s) is required");
        }
        long size = size(a.size());
        try {
            core.resizeLun(lun.id(), size);
        } catch (LunConfigException e) {
            throw new ControlException(e.getMessage());
        }
        return info(lun);
    }

    @Override
    public List<LunInfo> devlist(DevListArgs a) throws ControlException {
        if (a.backend() != null) {
            requireBackend(a.backend());
        }
        List<LunInfo> out = new ArrayList<>();
        for (Lun lun : core.luns()) {
            if (a.backend() == null || lun.backendName().equals(a.backend())) {
                out.add(info(lun));
            }
        }
        return out;
    }

    @Override
    public List<PortInfo> portlist() {
        return core.ports().list().stream().map(DaemonControl::portInfo).toList();
    }

    @Override
    public List<PortInfo> portState(PortStateArgs a) throws ControlException {
        if ((a.port() == null) == (a.frontend() == null)) {
            throw new ControlException("give either a port (-p) or a frontend type (-t)");
        }
        List<Port> ports;
        if (a.port() != null) {
            ports = List.of(core.ports().get(a.port())
                    .orElseThrow(() -> new ControlException("port " + a.port() + " does not exist")));
        } else {
            ports = core.ports().list().stream()
                    .filter(p -> a.frontend().equals("all") || p.frontend().equals(a.frontend())).toList();
            if (ports.isEmpty()) {
                throw new ControlException("no port of frontend type '" + a.frontend() + "'");
            }
        }
        for (Port p : ports) {
            p.setOnline(a.online());
            int dropped = a.online() ? 0 : frontend.terminate(s -> p.targetName().equals(s.targetName())
                    && s.portalGroupTag() == p.portalGroupTag());
            log.info("ctladm: port {} {}{}", p.portName(), a.online() ? "online" : "offline",
                    dropped > 0 ? ", " + dropped + " session(s) dropped" : "");
        }
        return ports.stream().map(DaemonControl::portInfo).toList();
    }

    @Override
    public PortInfo lunmap(LunMapArgs a) throws ControlException {
        if (a.port() == null) {
            throw new ControlException("a port (-p) is required");
        }
        Port port = core.ports().get(a.port())
                .orElseThrow(() -> new ControlException("port " + a.port() + " does not exist"));
        if (a.portLun() == null) {
            if (a.lun() != null) {
                throw new ControlException("a LUN (-L) needs the port LUN (-l) to show it as");
            }
            port.setLunMap(null);
            log.info("ctladm: port {} LUN map off", port.portName());
        } else {
            int portLun = a.portLun();
            if (portLun < 0 || portLun >= TargetCore.MAX_LUNS) {
                throw new ControlException("port LUN " + portLun + " is out of range 0.." + (TargetCore.MAX_LUNS - 1));
            }
            Map<Integer, Integer> map = new TreeMap<>(port.lunMap().orElse(new TreeMap<>()));
            if (a.lun() == null) {
                if (port.lunMap().isEmpty()) {
                    throw new ControlException("port " + a.port() + " has no LUN map (every LUN is visible); "
                            + "nothing to unmap");
                }
                if (map.remove(portLun) == null) {
                    throw new ControlException("port " + a.port() + " does not map LUN " + portLun);
                }
                log.info("ctladm: port {} LUN {} unmapped", port.portName(), portLun);
            } else {
                if (core.lun(a.lun()).isEmpty()) {
                    throw new ControlException("LUN " + a.lun() + " does not exist");
                }
                map.put(portLun, a.lun());
                log.info("ctladm: port {} LUN {} -> LUN {}", port.portName(), portLun, a.lun());
            }
            port.setLunMap(map);
        }
        core.lunMapChanged(port);
        return portInfo(port);
    }

    private static PortInfo portInfo(Port p) {
        return new PortInfo(p.id(), p.online(), p.frontend(), p.portName(), p.portalGroupTag(), 0, p.targetName(),
                p.lunMap().orElse(null), p.nexuses().stream().map(Nexus::initiatorPort).toList(), p.options());
    }

    @Override
    public List<SessionEntry> islist() {
        return frontend.sessions().stream().map(DaemonControl::entry).toList();
    }

    @Override
    public SessionActionResult islogout(SessionSelector selector) throws ControlException {
        int n = frontend.logout(matcher(selector));
        if (n == 0) {
            throw new ControlException("No matching connections found");
        }
        log.info("ctladm: logout requested from {} session(s)", n);
        return new SessionActionResult(n);
    }

    @Override
    public SessionActionResult isterminate(SessionSelector selector) throws ControlException {
        int n = frontend.terminate(matcher(selector));
        if (n == 0) {
            throw new ControlException("No matching connections found");
        }
        log.info("ctladm: terminated {} session(s)", n);
        return new SessionActionResult(n);
    }

    @Override
    public StatsReport stats(StatsArgs a) {
        List<StatsItem> luns = new ArrayList<>();
        for (Lun lun : core.luns()) {
            if (a.luns() == null || a.luns().contains(lun.id())) {
                snapshot(() -> core.lunStats(lun.id()), lun.id(), null, luns);
            }
        }
        List<StatsItem> ports = new ArrayList<>();
        for (Port p : core.ports().list()) {
            if (a.ports() == null || a.ports().contains(p.id())) {
                snapshot(() -> core.portStats(p.id()), p.id(), p.targetName(), ports);
            }
        }
        return new StatsReport(System.nanoTime() - startNanos, true, luns, ports);
    }

    private interface SnapshotSource {
        StatsSnapshot get();
    }

    /** Adds the item unless it vanished between listing and reading (removed concurrently). */
    private static void snapshot(SnapshotSource source, int num, String target, List<StatsItem> out) {
        StatsSnapshot s;
        try {
            s = source.get();
        } catch (IllegalArgumentException gone) {
            return;
        }
        List<IoStats> io = new ArrayList<>();
        for (IoType t : IoType.values()) {
            IoCounters c = s.byType().get(t);
            String name = switch (t) {
                case NO_IO -> IoStats.NO_IO;
                case READ -> IoStats.READ;
                case WRITE -> IoStats.WRITE;
            };
            io.add(new IoStats(name, c.bytes(), c.operations(), c.dmas(), c.timeNanos(), c.dmaTimeNanos()));
        }
        out.add(new StatsItem(num, target, io));
    }

    private static Predicate<SessionInfo> matcher(SessionSelector s) throws ControlException {
        if (s.criteriaCount() != 1) {
            throw new ControlException("give exactly one of: all (-a), connection id (-c), initiator name (-i), "
                    + "initiator address (-p)");
        }
        return i -> s.matches(i.id(), i.initiatorName(), i.initiatorAddress());
    }

    private String requireBackend(String backend) throws ControlException {
        if (backend == null || backend.isEmpty()) {
            throw new ControlException("a backend (-b) is required");
        }
        if (!core.backendNames().contains(backend)) {
            throw new ControlException("unknown backend '" + backend + "' (known: "
                    + String.join(", ", core.backendNames()) + ")");
        }
        return backend;
    }

    private Lun existing(String backend, Integer id) throws ControlException {
        requireBackend(backend);
        if (id == null) {
            throw new ControlException("a LUN id (-l) is required");
        }
        Lun lun = core.lun(id).orElseThrow(() -> new ControlException("LUN " + id + " does not exist"));
        if (!lun.backendName().equals(backend)) {
            throw new ControlException("LUN " + id + " belongs to backend " + lun.backendName() + ", not "
                    + backend);
        }
        return lun;
    }

    static long size(String text) throws ControlException {
        if (text.strip().equalsIgnoreCase("auto")) {
            return LunSpec.SIZE_AUTO;
        }
        try {
            return SizeParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ControlException("invalid size: " + e.getMessage());
        }
    }

    static LunType deviceType(String t) throws ControlException {
        return switch (t.strip().toLowerCase(Locale.ROOT)) {
            case "disk", "direct", "0" -> LunType.DIRECT;
            case "processor", "3" -> LunType.PROCESSOR;
            case "cd", "cdrom", "dvd", "dvdrom", "5" -> LunType.CDROM;
            default -> throw new ControlException("unsupported device type '" + t
                    + "' (expected disk, processor or cd)");
        };
    }

    static LunInfo info(Lun lun) {
        return new LunInfo(lun.id(), lun.backendName(), lun.type().code(), lun.storage().blockCount(),
                lun.storage().blockSize(), lun.identity().serial(), lun.identity().deviceId(), lun.options(),
                lun.storage().info());
    }

    private static SessionEntry entry(SessionInfo s) {
        return new SessionEntry(s.id(), s.initiatorName(), s.initiatorAlias(), s.initiatorAddress(), s.isid(),
                s.tsih(), s.targetName(), s.targetAlias(), s.portalGroupTag(), s.headerDigest(), s.dataDigest(),
                s.maxRecvDataSegmentLength(), s.maxSendDataSegmentLength(), s.maxBurstLength(),
                s.firstBurstLength(), s.immediateData(), s.initialR2T());
    }
}

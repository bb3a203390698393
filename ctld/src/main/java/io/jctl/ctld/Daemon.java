package io.jctl.ctld;

import ch.qos.logback.classic.Level;
import io.jctl.backend.block.BlockBackend;
import io.jctl.backend.ramdisk.RamdiskBackend;
import io.jctl.control.server.ControlServer;
import io.jctl.core.TargetCore;
import io.jctl.core.backend.Backend;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunConfigException;
import io.jctl.core.port.Port;
import io.jctl.ctld.config.ConfigException;
import io.jctl.ctld.config.ConfigParser;
import io.jctl.ctld.config.CtldConfig;
import io.jctl.ctld.config.LunDef;
import io.jctl.ctld.config.PortalGroupDef;
import io.jctl.ctld.config.TargetDef;
import io.jctl.ctld.control.DaemonControl;
import io.jctl.ctld.runtime.NettyMemory;
import io.jctl.ctld.state.JsonReservationStore;
import io.jctl.iscsi.IscsiFrontend;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.TargetPortal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A running target: the core with both backends, the LUNs and ports of the configuration, the iSCSI frontend and
 * the control socket. {@link #start} builds everything or nothing; {@link #reload} applies the difference to a
 * changed configuration file; {@link #close} logs sessions out, closes LUN storage, removes the control socket and
 * releases the state directory.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** Where persistent reservations saved with APTPL live, below the state directory. */
    static final String RESERVATIONS_DIR = "reservations";

    private final DaemonOptions options;
    private final ConfigParser parser;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();
    private TargetCore core;
    private IscsiFrontend frontend;
    private ControlServer control;
    /** The configuration in effect, and what it was built into. */
    private CtldConfig config;
    private Map<String, Integer> lunIds = new HashMap<>();
    private final Map<String, Map<String, Port>> targetPorts = new LinkedHashMap<>();
    private boolean closed;

    private Daemon(DaemonOptions options, ConfigParser parser) {
        this.options = options;
        this.parser = parser;
    }

    /**
     * Reads the configuration and starts serving.
     *
     * @throws ConfigException the configuration (or a LUN it defines) is wrong: nothing was started
     * @throws DaemonException something else is in the way (socket in use, state directory locked, port taken):
     *                         nothing was left running
     */
    public static Daemon start(DaemonOptions options) throws ConfigException, DaemonException {
        List<Backend> backends = List.of(new RamdiskBackend(), new BlockBackend());
        Daemon d = new Daemon(options,
                new ConfigParser(backends.stream().map(Backend::name).collect(Collectors.toSet())));
        CtldConfig config = d.load();
        log.info("configuration: {}", config.source());
        applyDebug(config.debug());
        try {
            d.build(config, backends);
            return d;
        } catch (ConfigException | DaemonException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** {@code debug} 1 or more: debug logging of jctl; 0: the level logback.xml sets. */
    private static void applyDebug(int level) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.jctl")).setLevel(level > 0 ? Level.DEBUG : null);
    }

    /** The configuration file (or the embedded default) with the {@code --listen} override applied. */
    private CtldConfig load() throws ConfigException {
        CtldConfig c = options.config() == null ? ConfigParser.embeddedDefault() : parser.parse(options.config());
        if (!options.listen().isEmpty()) {
            c = c.withDefaultListen(options.listen());
            if (c.usedPortalGroups().stream().noneMatch(p -> p.name().equals(ConfigParser.DEFAULT_GROUP))) {
                log.warn("--listen replaces the listen addresses of portal group default, which no target uses");
            }
        }
        for (String w : c.warnings()) {
            log.warn("{}", w);
        }
        return c;
    }

    private void build(CtldConfig cfg, List<Backend> backends) throws ConfigException, DaemonException {
        StateDirectory state;
        try {
            state = StateDirectory.acquire(options.stateDir());
            resources.push(state);
            ControlServer.refuseIfServed(options.controlSocket());
        } catch (IOException e) {
            throw new DaemonException(e.getMessage(), e);
        }
        core = new TargetCore(options.workers());
        resources.push(core);
        // before the LUNs, so that they restore the reservations saved with APTPL
        core.setReservationStore(new JsonReservationStore(state.path().resolve(RESERVATIONS_DIR)));
        backends.forEach(core::registerBackend);

        // those asking for a fixed core number go first so nobody takes it
        List<LunDef> order = new ArrayList<>(cfg.luns().values());
        order.sort(Comparator.comparing((LunDef l) -> l.ctlLun() < 0));
        for (LunDef def : order) {
            lunIds.put(def.name(), createLun(cfg, def, def.ctlLun()));
        }

        IscsiSettings d = IscsiSettings.defaults();
        frontend = new IscsiFrontend(core, new IscsiSettings(d.maxRecvDataSegmentLength(), d.maxBurstLength(),
                d.firstBurstLength(), d.maxCmdWindow(), cfg.loginTimeout(), d.nopInterval(), d.nopTimeout()));
        resources.push(frontend);
        applyTargets(cfg, lunIds);
        config = cfg;

        try {
            control = ControlServer.start(options.controlSocket(),
                    new DaemonControl(core, frontend, startNanos, this::reload));
        } catch (IOException e) {
            throw new DaemonException(e.getMessage(), e);
        }
        resources.push(control);

        for (PortalGroupDef pg : cfg.usedPortalGroups()) {
            try {
                frontend.listen(pg.group());
            } catch (IOException e) {
                throw new DaemonException(e.getMessage(), e);
            }
        }
        log.info("jctl ready: iSCSI on {}, control socket {}", frontend.boundAddresses().stream()
                .map(Daemon::format).collect(Collectors.joining(" ")), control.socket());
        log.info("memory: {}", NettyMemory.describe());
    }

    private int createLun(CtldConfig cfg, LunDef def, int requestedId) throws ConfigException {
        try {
            Lun lun = core.createLun(new LunConfig(requestedId, def.type(), def.backend(), def.sizeBytes(),
                    def.blockSize(), def.serial(), def.deviceId(), def.options()));
            return lun.id();
        } catch (LunConfigException e) {
            throw new ConfigException(cfg.source(), def.path(), e.getMessage());
        }
    }

    /**
     * Makes ports and frontend targets match {@code cfg}: one core port per (target, portal group), created when
     * missing, its LUN map set (UAs raised when it changed); ports of vanished targets or portal groups are removed
     * after their sessions are dropped.
     */
    private void applyTargets(CtldConfig cfg, Map<String, Integer> ids) {
        List<IscsiTarget> targets = new ArrayList<>();
        for (TargetDef t : cfg.targets()) {
            Map<String, Port> ports = targetPorts.computeIfAbsent(t.name(), k -> new LinkedHashMap<>());
            List<TargetPortal> portals = new ArrayList<>();
            for (String pgName : t.portalGroups()) {
                PortalGroupDef pg = cfg.portalGroups().get(pgName);
                Port port = ports.get(pgName);
                boolean fresh = port == null;
                if (fresh) {
                    port = core.ports().create("iscsi", t.name(), pg.group().tag(), pg.options());
                    ports.put(pgName, port);
                }
                Map<Integer, Integer> map = null;
                if (t.lunMap()) {
                    map = new TreeMap<>();
                    for (var e : t.luns().entrySet()) {
                        map.put(e.getKey(), ids.get(e.getValue()));
                    }
                }
                if (fresh || !Objects.equals(port.lunMap().orElse(null), map)) {
                    port.setLunMap(map);
                    if (!fresh) {
                        core.lunMapChanged(port);
                    }
                }
                portals.add(new TargetPortal(pg.group(), port));
            }
            targets.add(new IscsiTarget(t.name(), t.alias(), t.auth(), portals));
        }
        frontend.setTargets(targets);
        for (var it = targetPorts.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            TargetDef t = cfg.targets().stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElse(null);
            for (var pit = e.getValue().entrySet().iterator(); pit.hasNext(); ) {
                var pe = pit.next();
                if (t == null || !t.portalGroups().contains(pe.getKey())) {
                    Port port = pe.getValue();
                    int dropped = frontend.terminate(s -> port.targetName().equals(s.targetName())
                            && s.portalGroupTag() == port.portalGroupTag());
                    core.ports().remove(port.id());
                    log.info("removed port {} ({} session(s) dropped)", port.portName(), dropped);
                    pit.remove();
                }
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /**
     * Re-reads the configuration file and applies only the difference: LUNs created, resized, recreated or
     * removed; targets added, changed or removed (their sessions dropped). LUNs created with ctladm are left
     * alone. Portal groups that are listened on cannot change while running. Either everything is applied or
     * nothing changes.
     *
     * @return one line per change; empty when the file did not change anything
     */
    public synchronized List<String> reload() throws ConfigException, DaemonException {
        if (closed) {
            throw new DaemonException("ctld is shutting down", null);
        }
        if (options.config() == null) {
            throw new DaemonException("nothing to reload: ctld runs the embedded default (no --config)", null);
        }
        CtldConfig next = load();
        Map<String, PortalGroupDef> listening = byName(config.usedPortalGroups());
        Map<String, PortalGroupDef> wanted = byName(next.usedPortalGroups());
        for (String name : union(listening.keySet(), wanted.keySet())) {
            if (!Objects.equals(listening.get(name), wanted.get(name))) {
                throw new ConfigException(next.source(), "portal-group." + name, listening.containsKey(name)
                        ? "changed or no longer used; portal groups in use change only at restart"
                        : "is newly used; portal groups in use change only at restart");
            }
        }
        if (!next.loginTimeout().equals(config.loginTimeout())) {
            throw new ConfigException(next.source(), "timeout", "changed; the login timeout changes only at restart");
        }
        List<String> changes = new ArrayList<>();
        if (next.debug() != config.debug()) {
            applyDebug(next.debug());
            changes.add("debug: " + config.debug() + " -> " + next.debug());
        }
        Map<String, Integer> ids = new HashMap<>();
        Deque<Runnable> undo = new ArrayDeque<>();
        List<Integer> retire = new ArrayList<>();
        try {
            for (LunDef def : next.luns().values()) {
                LunDef old = config.luns().get(def.name());
                if (old == null) {
                    int id = createLun(next, def, def.ctlLun());
                    undo.push(() -> removeQuietly(id));
                    ids.put(def.name(), id);
                    changes.add("lun " + def.name() + ": created as LUN " + id);
                } else if (sameIgnoringSize(old, def) && old.sizeBytes() == def.sizeBytes()) {
                    ids.put(def.name(), lunIds.get(def.name()));
                } else if (sameIgnoringSize(old, def)) {
                    int id = lunIds.get(def.name());
                    resize(next, def, id);
                    undo.push(() -> resizeQuietly(id, old.sizeBytes()));
                    ids.put(def.name(), id);
                    changes.add("lun " + def.name() + ": LUN " + id + " resized");
                } else {
                    // a new LUN replaces the old one; the old one goes once the ports point at the new one
                    int oldId = lunIds.get(def.name());
                    if (def.ctlLun() == oldId) {
                        throw new ConfigException(next.source(), def.path(), "changed while keeping ctl-lun "
                                + oldId + "; remove ctl-lun or restart ctld to replace it");
                    }
                    int id = createLun(next, def, def.ctlLun());
                    undo.push(() -> removeQuietly(id));
                    ids.put(def.name(), id);
                    retire.add(oldId);
                    changes.add("lun " + def.name() + ": replaced, LUN " + oldId + " by LUN " + id);
                }
            }
        } catch (ConfigException | RuntimeException e) {
            undo.forEach(Runnable::run);
            throw e;
        }
        for (var e : config.luns().keySet()) {
            if (!next.luns().containsKey(e)) {
                retire.add(lunIds.get(e));
                changes.add("lun " + e + ": LUN " + lunIds.get(e) + " removed");
            }
        }
        for (TargetDef t : next.targets()) {
            TargetDef old = config.targets().stream().filter(x -> x.name().equals(t.name())).findFirst()
                    .orElse(null);
            if (old == null) {
                changes.add("target " + t.name() + ": added");
            } else if (!old.equals(t)) {
                changes.add("target " + t.name() + ": changed");
            }
        }
        for (TargetDef old : config.targets()) {
            if (next.targets().stream().noneMatch(x -> x.name().equals(old.name()))) {
                changes.add("target " + old.name() + ": removed");
            }
        }
        applyTargets(next, ids);
        for (int id : retire) {
            removeQuietly(id);
        }
        config = next;
        lunIds = ids;
        if (changes.isEmpty()) {
            log.info("reload: no changes");
        }
        for (String c : changes) {
            log.info("reload: {}", c);
        }
        return changes;
    }

    private void resize(CtldConfig cfg, LunDef def, int id) throws ConfigException {
        try {
            core.resizeLun(id, def.sizeBytes());
        } catch (LunConfigException e) {
            throw new ConfigException(cfg.source(), def.path() + ".size", e.getMessage());
        }
    }

    private void resizeQuietly(int id, long sizeBytes) {
        try {
            core.resizeLun(id, sizeBytes);
        } catch (LunConfigException e) {
            log.error("reload: cannot resize LUN {} back: {}", id, e.getMessage());
        }
    }

    private void removeQuietly(int id) {
        try {
            core.removeLun(id);
        } catch (LunConfigException e) {
            // removed meanwhile (ctladm remove): what we wanted anyway
            log.info("LUN {} was already gone: {}", id, e.getMessage());
        }
    }

    /** Whether two definitions ask for the same LUN apart from its size (where in the file does not matter). */
    private static boolean sameIgnoringSize(LunDef a, LunDef b) {
        return a.backend().equals(b.backend()) && a.blockSize() == b.blockSize()
                && Objects.equals(a.serial(), b.serial()) && Objects.equals(a.deviceId(), b.deviceId())
                && a.type() == b.type() && a.ctlLun() == b.ctlLun() && a.options().equals(b.options());
    }

    private static Map<String, PortalGroupDef> byName(List<PortalGroupDef> pgs) {
        Map<String, PortalGroupDef> m = new TreeMap<>();
        pgs.forEach(p -> m.put(p.name(), p));
        return m;
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> s = new TreeSet<>(a);
        s.addAll(b);
        return List.copyOf(s);
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Addresses the iSCSI frontend listens on (real ports when 0 was asked). */
    public List<InetSocketAddress> iscsiAddresses() {
        return frontend.boundAddresses();
    }

    public Path controlSocket() {
        return control.socket();
    }

    public TargetCore core() {
        return core;
    }

    /** Stops everything started, newest first. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean running = control != null;
        if (running) {
            log.info("jctl shutting down");
        }
        // control socket first (no admin changes while stopping), then sessions, then storage, then the lock
        if (control != null) {
            resources.remove(control);
            control.close();
        }
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {}: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
        if (running) {
            log.info("jctl stopped");
        }
    }
}

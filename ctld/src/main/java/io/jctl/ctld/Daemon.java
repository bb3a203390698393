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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A running target: the core with both backends, the LUNs and ports of the configuration, the iSCSI frontend and
 * the control socket. {@link #start} builds everything or nothing; {@link #close} logs sessions out, closes LUN
 * storage, removes the control socket and releases the state directory.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();
    private TargetCore core;
    private IscsiFrontend frontend;
    private ControlServer control;
    private boolean closed;

    private Daemon() {
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
        ConfigParser parser = new ConfigParser(backends.stream().map(Backend::name).collect(Collectors.toSet()));
        CtldConfig config = options.config() == null ? ConfigParser.embeddedDefault() : parser.parse(options.config());
        if (!options.listen().isEmpty()) {
            config = config.withDefaultListen(options.listen());
            boolean used = config.usedPortalGroups().stream().anyMatch(p -> p.name().equals(ConfigParser.DEFAULT_GROUP));
            if (!used) {
                log.warn("--listen replaces the listen addresses of portal group default, which no target uses");
            }
        }
        log.info("configuration: {}", config.source());
        if (config.debug() > 0) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.jctl")).setLevel(Level.DEBUG);
        }
        for (String w : config.warnings()) {
            log.warn("{}", w);
        }
        Daemon d = new Daemon();
        try {
            d.build(config, options, backends);
            return d;
        } catch (ConfigException | DaemonException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void build(CtldConfig config, DaemonOptions options, List<Backend> backends)
            throws ConfigException, DaemonException {
        try {
            resources.push(StateDirectory.acquire(options.stateDir()));
            ControlServer.refuseIfServed(options.controlSocket());
        } catch (IOException e) {
            throw new DaemonException(e.getMessage(), e);
        }
        core = new TargetCore(options.workers());
        resources.push(core);
        backends.forEach(core::registerBackend);

        Map<String, Integer> lunIds = createLuns(config);
        List<IscsiTarget> targets = new ArrayList<>();
        for (TargetDef t : config.targets()) {
            List<TargetPortal> portals = new ArrayList<>();
            for (String pgName : t.portalGroups()) {
                PortalGroupDef pg = config.portalGroups().get(pgName);
                Port port = core.ports().create("iscsi", t.name(), pg.group().tag(), pg.options());
                if (t.lunMap()) {
                    Map<Integer, Integer> map = new TreeMap<>();
                    t.luns().forEach((n, name) -> map.put(n, lunIds.get(name)));
                    port.setLunMap(map);
                } else {
                    port.setLunMap(null);
                }
                portals.add(new TargetPortal(pg.group(), port));
            }
            targets.add(new IscsiTarget(t.name(), t.alias(), t.auth(), portals));
        }

        IscsiSettings d = IscsiSettings.defaults();
        frontend = new IscsiFrontend(core, new IscsiSettings(d.maxRecvDataSegmentLength(), d.maxBurstLength(),
                d.firstBurstLength(), d.maxCmdWindow(), config.loginTimeout(), d.nopInterval(), d.nopTimeout()));
        resources.push(frontend);
        frontend.setTargets(targets);

        try {
            control = ControlServer.start(options.controlSocket(), new DaemonControl(core, frontend, startNanos));
        } catch (IOException e) {
            throw new DaemonException(e.getMessage(), e);
        }
        resources.push(control);

        for (PortalGroupDef pg : config.usedPortalGroups()) {
            try {
                frontend.listen(pg.group());
            } catch (IOException e) {
                throw new DaemonException(e.getMessage(), e);
            }
        }
        log.info("jctl ready: iSCSI on {}, control socket {}", frontend.boundAddresses().stream()
                .map(Daemon::format).collect(Collectors.joining(" ")), control.socket());
    }

    /** Creates every configured LUN; those asking for a fixed core number go first so nobody takes it. */
    private Map<String, Integer> createLuns(CtldConfig config) throws ConfigException {
        List<LunDef> order = new ArrayList<>(config.luns().values());
        order.sort(Comparator.comparing((LunDef l) -> l.ctlLun() < 0));
        Map<String, Integer> ids = new HashMap<>();
        for (LunDef def : order) {
            try {
                Lun lun = core.createLun(new LunConfig(def.ctlLun(), def.type(), def.backend(), def.sizeBytes(),
                        def.blockSize(), def.serial(), def.deviceId(), def.options()));
                ids.put(def.name(), lun.id());
            } catch (LunConfigException e) {
                throw new ConfigException(config.source(), def.path(), e.getMessage());
            }
        }
        return ids;
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

package io.jctl.core;

import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.cdb.StandardOpcodes;
import io.jctl.core.dispatch.AccessCheck;
import io.jctl.core.dispatch.Dispatcher;
import io.jctl.core.dispatch.LaneExecutor;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.dispatch.LunDirectory;
import io.jctl.core.dispatch.StorageAwareExecutor;
import io.jctl.core.dispatch.TargetView;
import io.jctl.core.dispatch.TaskExecutor;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunConfigException;
import io.jctl.core.lun.LunIdentity;
import io.jctl.core.lun.LunType;
import io.jctl.core.mode.ModePages;
import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.pr.ReservationCheck;
import io.jctl.core.pr.ReservationState;
import io.jctl.core.pr.ReservationStore;
import io.jctl.core.sbc.Provisioning;
import io.jctl.core.serial.SerSeq;
import io.jctl.core.stats.IoStats;
import io.jctl.core.stats.StatsSnapshot;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.task.TmfResponse;
import io.jctl.core.tmf.TaskManagement;
import io.jctl.core.ua.UnitAttention;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The SCSI target core: LUNs and their storage, ports, the dispatcher that runs commands, task management, unit
 * attentions and statistics. Frontends talk to it as a {@link ScsiService}; ctld administers it; command handlers
 * see it as a {@link TargetView}.
 */
public final class TargetCore implements ScsiService, TargetView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetCore.class);

    /** LUN ids run from 0 to MAX_LUNS - 1 (CTL's default {@code max_luns}). */
    public static final int MAX_LUNS = 1024;
    private static final long REMOVE_WAIT_SECONDS = 30;

    private final OpcodeTable opcodes;
    private final PortRegistry ports = new PortRegistry();
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<LunContext> lunTable = new AtomicReferenceArray<>(MAX_LUNS);
    /** Live LUNs in id order; replaced (never mutated) under {@link #admin}. */
    private volatile List<LunContext> live = List.of();
    private final ConcurrentHashMap<Integer, IoStats> portStats = new ConcurrentHashMap<>();
    private final TaskExecutor executor;
    private final Dispatcher dispatcher;
    private final TaskManagement taskManagement;
    private final Object admin = new Object();
    private volatile ReservationStore reservationStore = ReservationStore.NONE;
    private volatile boolean closed;

    /**
     * @param workerThreads worker lanes; 0 or less: one per CPU, at least 1, at most 16. Media access commands of
     *                      memory-backed LUNs run inline instead ({@link StorageAwareExecutor}).
     */
    public TargetCore(int workerThreads) {
        this(StandardOpcodes.table(),
                new StorageAwareExecutor(
                        new LaneExecutor(workerThreads <= 0 ? LaneExecutor.defaultThreads() : workerThreads)));
    }

    /** A core with its own opcode table and executor (tests, HA wiring). It closes the executor on close. */
    public TargetCore(OpcodeTable opcodes, TaskExecutor executor) {
        this.opcodes = opcodes;
        this.executor = executor;
        LunDirectory directory = new LunDirectory() {
            @Override
            public LunContext context(int lunId) {
                return lunId >= 0 && lunId < MAX_LUNS ? lunTable.get(lunId) : null;
            }

            @Override
            public Collection<LunContext> contexts() {
                return live;
            }
        };
        this.dispatcher = new Dispatcher(opcodes, ports, directory, this, executor, ByteBufAllocator.DEFAULT,
                this::portStatsOf);
        this.taskManagement = new TaskManagement(dispatcher, directory, ports);
        dispatcher.addAccessCheck(AccessCheck.Stage.RESERVATION, new ReservationCheck());
    }

    /**
     * Where persistent reservations with APTPL are saved; LUNs created afterwards restore theirs from it. Without
     * one, APTPL is refused (PTPL_C=0).
     */
    public void setReservationStore(ReservationStore store) {
        this.reservationStore = store;
    }

    // ---- backends and LUNs ----

    public void registerBackend(Backend backend) {
        if (backends.putIfAbsent(backend.name(), backend) != null) {
            throw new IllegalArgumentException("backend " + backend.name() + " is already registered");
        }
    }

    public Set<String> backendNames() {
        return Collections.unmodifiableSet(new TreeSet<>(backends.keySet()));
    }

    /**
     * Creates a LUN: storage opened through its backend, identity filled with CTL's defaults. The new LUN reports
     * POWER ON to every nexus logged in through a port that shows it; every other LUN reports REPORTED LUNS DATA
     * HAS CHANGED to the nexuses using it.
     *
     * @throws LunConfigException with a one-line reason; nothing changed
     */
    public Lun createLun(LunConfig cfg) throws LunConfigException {
        synchronized (admin) {
            ensureOpen();
            if (cfg.type() == null) {
                throw new LunConfigException("LUN type missing");
            }
            Backend backend = cfg.backend() == null ? null : backends.get(cfg.backend());
            if (backend == null) {
                throw new LunConfigException("unknown backend '" + cfg.backend() + "' (known: "
                        + String.join(", ", backendNames()) + ")");
            }
            int bs = cfg.blockSize();
            if (bs < 512 || bs > 65536 || Integer.bitCount(bs) != 1) {
                throw new LunConfigException("block size " + bs + " is not a power of two from 512 to 65536");
            }
            checkSize(cfg.sizeBytes(), bs);
            int id = chooseId(cfg.requestedId());
            Map<String, String> options = cfg.options();
            LunIdentity identity = new LunIdentity(
                    text("vendor", options.getOrDefault("vendor", "FREEBSD"), 8),
                    text("product", options.getOrDefault("product", defaultProduct(cfg.type())), 16),
                    text("revision", options.getOrDefault("revision", "0001"), 4),
                    text("serial number", cfg.serial() != null ? cfg.serial() : String.format("MYSERIAL%04d", id),
                            16),
                    text("device id", cfg.deviceId() != null ? cfg.deviceId() : String.format("MYDEVID%04d", id),
                            64));
            try {
                SerSeq.parse(options.get("serseq"));
            } catch (IllegalArgumentException e) {
                throw new LunConfigException(e.getMessage());
            }
            BackendLun storage;
            try {
                storage = backend.open(new LunSpec(cfg.sizeBytes(), bs, options));
            } catch (BackendConfigException e) {
                throw new LunConfigException(e.getMessage(), e);
            } catch (RuntimeException e) {
                log.error("backend {} failed to open LUN {}", backend.name(), id, e);
                throw new LunConfigException("backend " + backend.name() + " failed: " + e, e);
            }
            if (cfg.type() == LunType.DIRECT) {
                try {
                    Provisioning.of(options, storage);
                } catch (IllegalArgumentException e) {
                    storage.close();
                    throw new LunConfigException(e.getMessage());
                }
            }
            Lun lun = new Lun(id, cfg.type(), backend.name(), storage, identity, options,
                    ModePages.forLun(cfg.type(), options, storage.blockSize(), storage.blockCount()));
            LunContext ctx = new LunContext(lun);
            ReservationState.attach(ctx, reservationStore, (nexuses, requester) ->
                    taskManagement.abort(ctx, e -> nexuses.contains(e.nexus()), requester));
            for (Port port : portsOf(lun)) {
                for (Nexus nexus : port.nexuses()) {
                    ctx.unitAttentions().raise(nexus, UnitAttention.POWER_ON);
                }
            }
            for (LunContext other : live) {
                other.unitAttentions().raiseAll(UnitAttention.REPORTED_LUNS_CHANGED, null);
            }
            lunTable.set(id, ctx);
            refreshLive();
            log.info("created LUN {}: {} {} on {}, {} blocks of {} bytes, serial {}", id, cfg.type().label(),
                    identity.product(), backend.name(), storage.blockCount(), storage.blockSize(),
                    identity.serial());
            return lun;
        }
    }

    private static String defaultProduct(LunType type) {
        return switch (type) {
            case DIRECT -> "CTLDISK";
            case PROCESSOR -> "CTLPROCESSOR";
            case CDROM -> "CTLCDROM";
        };
    }

    private static String text(String what, String value, int max) throws LunConfigException {
        if (value.length() > max) {
            throw new LunConfigException(what + " '" + value + "' is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new LunConfigException(what + " may hold only printable ASCII characters");
            }
        }
        return value;
    }

    private static void checkSize(long size, int blockSize) throws LunConfigException {
        if (size != LunSpec.SIZE_AUTO && size < blockSize) {
            throw new LunConfigException(size < 0 ? "size " + size + " is negative"
                    : "size " + size + " bytes is less than one " + blockSize + "-byte block");
        }
    }

    private int chooseId(int requested) throws LunConfigException {
        if (requested >= MAX_LUNS) {
            throw new LunConfigException("LUN id " + requested + " is out of range 0.." + (MAX_LUNS - 1));
        }
        if (requested >= 0) {
            if (lunTable.get(requested) != null) {
                throw new LunConfigException("LUN " + requested + " already exists");
            }
            return requested;
        }
        for (int i = 0; i < MAX_LUNS; i++) {
            if (lunTable.get(i) == null) {
                return i;
            }
        }
        throw new LunConfigException("no free LUN id: all " + MAX_LUNS + " are in use");
    }

    private void refreshLive() {
        List<LunContext> l = new ArrayList<>();
        for (int i = 0; i < MAX_LUNS; i++) {
            LunContext c = lunTable.get(i);
            if (c != null) {
                l.add(c);
            }
        }
        live = List.copyOf(l);
    }

    /**
     * Removes a LUN: new commands no longer find it, its tasks are aborted (initiators get TASK ABORTED), its
     * storage is closed once they have ended; every other LUN reports REPORTED LUNS DATA HAS CHANGED.
     */
    public void removeLun(int id) throws LunConfigException {
        LunContext ctx;
        synchronized (admin) {
            ctx = existing(id);
            ctx.markRemoved();
            lunTable.set(id, null);
            refreshLive();
            for (LunContext other : live) {
                other.unitAttentions().raiseAll(UnitAttention.REPORTED_LUNS_CHANGED, null);
            }
        }
        CompletableFuture<Void> gone = taskManagement.abort(ctx, e -> true, null);
        try {
            gone.get(REMOVE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("LUN {}: tasks still running after {} s; closing its storage anyway", id, REMOVE_WAIT_SECONDS);
        } catch (ExecutionException e) {
            log.warn("LUN {}: waiting for its tasks failed", id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.lun().storage().close();
        log.info("removed LUN {}", id);
    }

    /** Changes a LUN's size; every nexus then sees CAPACITY DATA HAS CHANGED. */
    public void resizeLun(int id, long sizeBytes) throws LunConfigException {
        synchronized (admin) {
            LunContext ctx = existing(id);
            BackendLun storage = ctx.lun().storage();
            checkSize(sizeBytes, storage.blockSize());
            long before = storage.blockCount();
            try {
                storage.resize(sizeBytes);
            } catch (BackendConfigException e) {
                throw new LunConfigException(e.getMessage(), e);
            }
            ctx.lun().modePages().updateGeometry(storage.blockSize(), storage.blockCount());
            ctx.unitAttentions().raiseAll(UnitAttention.CAPACITY_DATA_CHANGED, null);
            log.info("LUN {} resized from {} to {} blocks", id, before, storage.blockCount());
        }
    }

    private LunContext existing(int id) throws LunConfigException {
        LunContext ctx = id >= 0 && id < MAX_LUNS ? lunTable.get(id) : null;
        if (ctx == null) {
            throw new LunConfigException("LUN " + id + " does not exist");
        }
        return ctx;
    }

    private void ensureOpen() throws LunConfigException {
        if (closed) {
            throw new LunConfigException("target is shutting down");
        }
    }

    /** Every LUN, in id order. */
    @Override
    public List<Lun> luns() {
        List<Lun> out = new ArrayList<>();
        for (LunContext c : live) {
            out.add(c.lun());
        }
        return out;
    }

    public Optional<Lun> lun(int id) {
        LunContext c = id >= 0 && id < MAX_LUNS ? lunTable.get(id) : null;
        return c == null ? Optional.empty() : Optional.of(c.lun());
    }

    public PortRegistry ports() {
        return ports;
    }

    /**
     * A port's LUN map changed (or the port appeared): its nexuses see REPORTED LUNS DATA HAS CHANGED on every
     * LUN.
     */
    public void lunMapChanged(Port port) {
        for (LunContext c : live) {
            c.unitAttentions().raiseWhere(UnitAttention.REPORTED_LUNS_CHANGED, n -> n.portId() == port.id());
        }
    }

    /** Adds a precheck stage contributed by a feature (reservations, ALUA). */
    public void addAccessCheck(AccessCheck.Stage stage, AccessCheck check) {
        dispatcher.addAccessCheck(stage, check);
    }

    // ---- statistics ----

    /** @throws IllegalArgumentException when there is no such LUN */
    public StatsSnapshot lunStats(int lunId) {
        LunContext c = lunId >= 0 && lunId < MAX_LUNS ? lunTable.get(lunId) : null;
        if (c == null) {
            throw new IllegalArgumentException("LUN " + lunId + " does not exist");
        }
        return c.stats().snapshot();
    }

    /** @throws IllegalArgumentException when there is no such port */
    /** The live counters of a port, made on first use; looked up first, as this runs for every command. */
    private IoStats portStatsOf(int portId) {
        IoStats stats = portStats.get(portId);
        return stats != null ? stats : portStats.computeIfAbsent(portId, k -> new IoStats());
    }

    public StatsSnapshot portStats(int portId) {
        if (ports.get(portId).isEmpty()) {
            throw new IllegalArgumentException("port " + portId + " does not exist");
        }
        return portStatsOf(portId).snapshot();
    }

    // ---- ScsiService ----

    @Override
    public void submit(ScsiTask task) {
        dispatcher.submit(task);
    }

    @Override
    public CompletableFuture<TmfResponse> taskManagement(TmfRequest request) {
        return taskManagement.handle(request);
    }

    @Override
    public void nexusLost(Nexus nexus) {
        log.info("nexus {} via port {} lost", nexus.initiatorPort(), nexus.portId());
        taskManagement.nexusReset(nexus, UnitAttention.I_T_NEXUS_LOSS);
    }

    // ---- TargetView ----

    @Override
    public SortedMap<Integer, Lun> visibleLuns(Port port) {
        SortedMap<Integer, Lun> out = new TreeMap<>();
        SortedMap<Integer, Integer> map = port.lunMap().orElse(null);
        if (map == null) {
            for (LunContext c : live) {
                out.put(c.lun().id(), c.lun());
            }
        } else {
            map.forEach((portLun, coreLun) -> lun(coreLun).ifPresent(l -> out.put(portLun, l)));
        }
        return out;
    }

    @Override
    public OpcodeTable opcodes() {
        return opcodes;
    }

    @Override
    public List<Port> portsOf(Lun lun) {
        List<Port> out = new ArrayList<>();
        for (Port p : ports.list()) {
            SortedMap<Integer, Integer> map = p.lunMap().orElse(null);
            if (map == null || map.containsValue(lun.id())) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public void raiseUnitAttention(Lun lun, UnitAttention ua, Nexus except) {
        LunContext c = context(lun);
        if (c != null) {
            c.unitAttentions().raiseAll(ua, except);
        }
    }

    @Override
    public Optional<UnitAttention> takeUnitAttention(Lun lun, Nexus nexus) {
        LunContext c = context(lun);
        return c == null ? Optional.empty() : Optional.ofNullable(dispatcher.takeUnitAttention(c, nexus));
    }

    @Override
    public void clearReportedLunsChanged(Nexus nexus) {
        dispatcher.clearOnAllLuns(nexus, UnitAttention.REPORTED_LUNS_CHANGED);
    }

    @Override
    public LunContext context(Lun lun) {
        LunContext c = lun.id() >= 0 && lun.id() < MAX_LUNS ? lunTable.get(lun.id()) : null;
        return c != null && c.lun() == lun ? c : null;
    }

    @Override
    public <T> CompletableFuture<T> runFor(io.jctl.core.dispatch.Command origin, LunContext lun,
                                           io.jctl.core.cdb.OpcodeEntry row,
                                           LbaExtent extent, Supplier<CompletableFuture<T>> io) {
        return dispatcher.runFor(origin, lun, row, extent, io);
    }

    /** Stops the workers and closes every LUN's storage. */
    @Override
    public void close() {
        List<LunContext> all;
        synchronized (admin) {
            if (closed) {
                return;
            }
            closed = true;
            all = live;
            for (LunContext c : all) {
                c.markRemoved();
                lunTable.set(c.lun().id(), null);
            }
            live = List.of();
        }
        executor.close();
        for (LunContext c : all) {
            try {
                c.lun().storage().close();
            } catch (RuntimeException e) {
                log.warn("closing LUN {} failed", c.lun().id(), e);
            }
        }
        log.info("target core closed");
    }
}

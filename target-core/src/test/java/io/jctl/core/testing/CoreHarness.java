package io.jctl.core.testing;

import io.jctl.core.TargetCore;
import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.cdb.StandardOpcodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.jctl.core.dispatch.InlineExecutor;
import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.dispatch.TaskExecutor;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunConfigException;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A TargetCore on the test opcode table with the "mem" backend, one port, and helpers to send commands. */
public final class CoreHarness implements AutoCloseable {
    public final TestCommands commands = new TestCommands();
    public final MemBackend backend = new MemBackend();
    public final RecordingTransport transport = new RecordingTransport();
    public final TargetCore core;
    public final Port port;
    /** Storage of the "memory" LUNs, in creation order. */
    public final List<MemoryBackendLun> stores = new CopyOnWriteArrayList<>();
    private final AtomicLong tags = new AtomicLong(1);

    public CoreHarness() {
        this(new InlineExecutor());
    }

    public CoreHarness(TaskExecutor executor) {
        this(null, executor);
    }

    /**
     * A core on another opcode table ({@link io.jctl.core.cdb.StandardOpcodes#table()} for the real handlers),
     * null for the test table. With a table of its own it also has the "memory" backend, whose LUNs keep their
     * data.
     */
    public CoreHarness(OpcodeTable table, TaskExecutor executor) {
        core = new TargetCore(table == null ? commands.table() : table, executor);
        core.registerBackend(backend);
        port = core.ports().create("iscsi", "iqn.2026-11.io.jctl:test", 1, Map.of());
        if (table == null) {
            return;
        }
        core.registerBackend(new Backend() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public BackendLun open(LunSpec spec) {
                MemoryBackendLun lun = new MemoryBackendLun(spec.sizeBytes() / spec.blockSize(), spec.blockSize());
                stores.add(lun);
                return lun;
            }
        });
    }

    /** A core with the real opcode table, running handlers inline. */
    public static CoreHarness standard() {
        return new CoreHarness(StandardOpcodes.table(), new InlineExecutor());
    }

    /** A nexus logged in through the harness port (LUNs created later report POWER ON to it). */
    public Nexus nexus(String name) {
        Nexus n = new Nexus("iqn.2026-11.test:" + name, "iqn.2026-11.test:" + name + ",i,0x23d000000001", port.id());
        port.nexusLogin(n);
        return n;
    }

    public Lun disk(int id, String... options) throws LunConfigException {
        return lun(id, LunType.DIRECT, options);
    }

    public Lun lun(int id, LunType type, String... options) throws LunConfigException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        return core.createLun(new LunConfig(id, type, "mem", 1 << 20, 512, null, null, o));
    }

    /** A 1 MiB disk of 512-byte blocks on the "memory" backend, whose data reads back. */
    public Lun dataDisk(int id, String... options) throws LunConfigException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        return core.createLun(new LunConfig(id, LunType.DIRECT, "memory", 1 << 20, 512, null, null, o));
    }

    /**
     * Submits a SIMPLE command announcing {@code data.length} bytes of Data-Out, supplies them if the command asks,
     * and waits for its completion.
     */
    public RecordingTransport.Completion runWithData(Nexus nexus, int lun, byte[] cdb, byte[] data)
            throws InterruptedException {
        ScsiTask t = new ScsiTask(nexus, LunAddress.encode(lun), tags.getAndIncrement(), TaskAttribute.SIMPLE, cdb,
                data.length, DataDirection.OUT, transport);
        core.submit(t);
        if (!transport.byTask.containsKey(t)) {
            CompletableFuture<ByteBuf> asked = transport.receives.get(t);
            if (asked != null) {
                asked.complete(Unpooled.wrappedBuffer(data));
            }
        }
        return transport.await(t);
    }

    public ScsiTask task(Nexus nexus, int lun, TaskAttribute attr, byte[] cdb) {
        return task(nexus, lun, tags.getAndIncrement(), attr, cdb);
    }

    public ScsiTask task(Nexus nexus, int lun, long tag, TaskAttribute attr, byte[] cdb) {
        return new ScsiTask(nexus, LunAddress.encode(lun), tag, attr, cdb, 4096, DataDirection.NONE, transport);
    }

    /** Submits a SIMPLE command and returns its task. */
    public ScsiTask submit(Nexus nexus, int lun, byte[] cdb) {
        ScsiTask t = task(nexus, lun, TaskAttribute.SIMPLE, cdb);
        core.submit(t);
        return t;
    }

    /** Submits a SIMPLE command and waits for its completion. */
    public RecordingTransport.Completion run(Nexus nexus, int lun, byte[] cdb) throws InterruptedException {
        return transport.await(submit(nexus, lun, cdb));
    }

    /** Sends TEST UNIT READY until it reports GOOD (clears pending unit attentions). */
    public void clearUnitAttentions(Nexus nexus, int lun) throws InterruptedException {
        for (int i = 0; i < 32; i++) {
            if (run(nexus, lun, TestCommands.cdb(TestCommands.TUR)).status() == io.jctl.core.scsi.ScsiStatus.GOOD) {
                return;
            }
        }
        throw new AssertionError("unit attentions do not clear");
    }

    public boolean done(ScsiTask t) {
        return transport.byTask.containsKey(t);
    }

    @Override
    public void close() {
        core.close();
    }
}

package io.jctl.core.tpc;

import io.jctl.core.TargetCore;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.dispatch.InlineExecutor;
import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.pr.PrCommands;
import io.jctl.core.sbc.SbcCommands;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.spc.EngineCommands;
import io.jctl.core.spc.SpcCommands;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.testing.RecordingTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A target core with the real SPC, SBC, reservation and third-party copy rows, RAM LUNs that keep data and can hold writes, one
 * port, and a clock the test moves.
 */
final class TpcHarness implements AutoCloseable {
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final RecordingTransport transport = new RecordingTransport();
    final TargetCore core;
    final Port port;
    private final AtomicLong tags = new AtomicLong(1);

    TpcHarness() {
        List<OpcodeEntry> rows = new ArrayList<>(EngineCommands.entries());
        rows.addAll(SpcCommands.entries());
        rows.addAll(SbcCommands.entries());
        rows.addAll(TpcCommands.entries(clock::get));
        rows.addAll(PrCommands.entries());
        core = new TargetCore(new OpcodeTable(rows), new InlineExecutor());
        core.registerBackend(new RamBackend());
        port = core.ports().create("iscsi", "iqn.2026-11.io.jctl:tpc", 1, Map.of());
    }

    Nexus nexus(String name) {
        Nexus n = new Nexus("iqn.2026-11.test:" + name, "iqn.2026-11.test:" + name + ",i,0x1", port.id());
        port.nexusLogin(n);
        return n;
    }

    Lun disk(int id, long blocks, int blockSize, String... options) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        return core.createLun(new LunConfig(id, LunType.DIRECT, "ram", blocks * blockSize, blockSize, null, null, o));
    }

    RamBackend.GatedLun storage(int lun) {
        return (RamBackend.GatedLun) core.lun(lun).orElseThrow().storage();
    }

    byte[] bytes(int lun) {
        return storage(lun).mem.bytes();
    }

    /** Submits a SIMPLE command; Data-Out, if any, is supplied as soon as the handler asks for it. */
    ScsiTask submit(Nexus nexus, int lun, byte[] cdb, byte[] dataOut) {
        return submit(nexus, lun, TaskAttribute.SIMPLE, cdb, dataOut);
    }

    /** Submits a command with a task attribute; Data-Out, if any, is supplied as soon as the handler asks for it. */
    ScsiTask submit(Nexus nexus, int lun, TaskAttribute attribute, byte[] cdb, byte[] dataOut) {
        ScsiTask t = new ScsiTask(nexus, LunAddress.encode(lun), tags.getAndIncrement(), attribute, cdb,
                dataOut == null ? 65536 : dataOut.length, dataOut == null ? DataDirection.IN : DataDirection.OUT,
                transport);
        core.submit(t);
        if (dataOut != null && dataOut.length > 0) {
            // A blocked command asks for its data only once it runs.
            CompletableFuture.runAsync(() -> {
                awaitTrue(() -> transport.receives.containsKey(t) || transport.byTask.containsKey(t)
                        || transport.aborted.contains(t), "Data-Out request");
                CompletableFuture<ByteBuf> f = transport.receives.get(t);
                if (f != null) {
                    f.complete(Unpooled.wrappedBuffer(dataOut));
                }
            });
        }
        return t;
    }

    RecordingTransport.Completion run(Nexus nexus, int lun, byte[] cdb, byte[] dataOut) throws InterruptedException {
        return transport.await(submit(nexus, lun, cdb, dataOut));
    }

    RecordingTransport.Completion run(Nexus nexus, int lun, byte[] cdb) throws InterruptedException {
        return run(nexus, lun, cdb, null);
    }

    /** Clears the POWER ON unit attention of a fresh nexus. */
    void ready(Nexus nexus, int... luns) throws InterruptedException {
        for (int lun : luns) {
            for (int i = 0; i < 8; i++) {
                if (run(nexus, lun, new byte[6]).status() == ScsiStatus.GOOD) {
                    break;
                }
            }
        }
    }

    void write(Nexus nexus, int lun, long lba, byte[] data) throws InterruptedException {
        int blocks = data.length / core.lun(lun).orElseThrow().storage().blockSize();
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x8a;
        io.jctl.core.cdb.CdbFields.put64(cdb, 2, lba);
        io.jctl.core.cdb.CdbFields.put32(cdb, 10, blocks);
        assertEquals(ScsiStatus.GOOD, run(nexus, lun, cdb, data).status());
    }

    /** PERSISTENT RESERVE OUT with a 24-byte parameter list; asserts GOOD. */
    void reserveOut(Nexus nexus, int lun, int serviceAction, int type, long key, long saKey)
            throws InterruptedException {
        byte[] cdb = new byte[10];
        cdb[0] = 0x5f;
        cdb[1] = (byte) serviceAction;
        cdb[2] = (byte) type;
        cdb[8] = 24;
        byte[] p = new byte[24];
        io.jctl.core.cdb.CdbFields.put64(p, 0, key);
        io.jctl.core.cdb.CdbFields.put64(p, 8, saKey);
        RecordingTransport.Completion c = run(nexus, lun, cdb, p);
        assertEquals(ScsiStatus.GOOD, c.status(), () -> "PERSISTENT RESERVE OUT " + serviceAction + ": sense "
                + io.jctl.core.testing.Sense.code(c.sense()));
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void close() {
        core.close();
    }
}

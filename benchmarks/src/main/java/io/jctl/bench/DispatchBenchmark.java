package io.jctl.bench;

import io.jctl.backend.ramdisk.RamdiskBackend;
import io.jctl.core.TargetCore;
import io.jctl.core.cdb.StandardOpcodes;
import io.jctl.core.dispatch.InlineExecutor;
import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.task.TaskTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One 4 KiB READ(10) or WRITE(10) through {@link TargetCore} with the standard opcode table, an inline executor and
 * a RAM disk LUN: LUN lookup, opcode row, precheck, the OOA check, handler, backend and completion, with no thread
 * hop and no network. {@code olderTasks} writes to other blocks are held in the LUN's task set (waiting for Data-Out
 * that never comes), so every measured command is checked against that many older tasks, as at queue depth
 * {@code olderTasks + 1}. Run with {@code -prof gc} for the bytes allocated per command.
 */
@State(Scope.Thread)
public class DispatchBenchmark {
    private static final int BLOCK = 512;
    private static final int IO = 4096;
    private static final long SIZE = 64L << 20;
    private static final int SLOTS = (int) (SIZE / IO);

    @Param({"0", "31"})
    public int olderTasks;

    private TargetCore core;
    private Nexus nexus;
    private ByteBuf writeData;
    private final Sink sink = new Sink();
    private final Holder holder = new Holder();
    private long tag = 1;
    private long next = 1;

    /** Answers like a transport that sends at once: Data-Out is there, Data-In and status are dropped. */
    private final class Sink implements TaskTransport {
        ScsiStatus last;

        @Override
        public CompletableFuture<ByteBuf> receiveData(ScsiTask task, int length) {
            return CompletableFuture.completedFuture(writeData.retainedSlice(0, length));
        }

        /** As the iSCSI frontend answers immediate data: at once, without a future. */
        @Override
        public void receiveData(ScsiTask task, int length, BiConsumer<ByteBuf, Throwable> done) {
            done.accept(writeData.retainedSlice(0, length), null);
        }

        @Override
        public void sendData(ScsiTask task, ByteBuf data) {
            data.release();
        }

        @Override
        public void complete(ScsiTask task, ByteBuf finalData) {
            last = task.status();
            if (finalData != null) {
                finalData.release();
            }
        }

        @Override
        public void aborted(ScsiTask task) {
        }
    }

    /** Keeps its writes waiting for Data-Out for the whole trial, so they stay in the task set. */
    private static final class Holder implements TaskTransport {
        @Override
        public CompletableFuture<ByteBuf> receiveData(ScsiTask task, int length) {
            return new CompletableFuture<>();
        }

        @Override
        public void sendData(ScsiTask task, ByteBuf data) {
            data.release();
        }

        @Override
        public void complete(ScsiTask task, ByteBuf finalData) {
            if (finalData != null) {
                finalData.release();
            }
        }

        @Override
        public void aborted(ScsiTask task) {
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        core = new TargetCore(StandardOpcodes.table(), new InlineExecutor());
        core.registerBackend(new RamdiskBackend());
        Port port = core.ports().create("iscsi", "iqn.2026-11.io.jctl:bench", 1, Map.of());
        core.createLun(new LunConfig(0, LunType.DIRECT, "ramdisk", SIZE, BLOCK, null, null,
                Map.of("capacity", Long.toString(SIZE))));
        nexus = new Nexus("iqn.2026-11.bench:init", "iqn.2026-11.bench:init,i,0x23d000000001", port.id());
        port.nexusLogin(nexus);
        writeData = PooledByteBufAllocator.DEFAULT.directBuffer(IO).writeZero(IO);
        // The first commands after login report unit attentions; then every command must succeed.
        for (int i = 0; i < 16 && submit(new byte[6], sink, 0, DataDirection.NONE) != ScsiStatus.GOOD; i++) {
            sink.last = null;
        }
        if (write() != ScsiStatus.GOOD || read() != ScsiStatus.GOOD) {
            throw new IllegalStateException("READ/WRITE through the core did not end GOOD: " + sink.last);
        }
        for (int i = 0; i < olderTasks; i++) {
            // The top slots of the LUN, above the measured range: they never overlap a measured command.
            submit(cdb10(0x2a, (SLOTS - 1L - i) * (IO / BLOCK)), holder, IO, DataDirection.OUT);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        core.close();
        writeData.release();
    }

    private ScsiStatus submit(byte[] cdb, TaskTransport transport, int length, DataDirection dir) {
        sink.last = null;
        core.submit(new ScsiTask(nexus, LunAddress.encode(0), tag++, TaskAttribute.SIMPLE, cdb, length, dir,
                transport));
        return sink.last;
    }

    /** A 4 KiB aligned LBA below the held writes, pseudo-random so consecutive commands hit different pages. */
    private long nextLba() {
        next = next * 6364136223846793005L + 1442695040888963407L;
        return ((next >>> 33) % (SLOTS - olderTasks)) * (IO / BLOCK);
    }

    private static byte[] cdb10(int opcode, long lba) {
        byte[] c = new byte[10];
        c[0] = (byte) opcode;
        c[2] = (byte) (lba >>> 24);
        c[3] = (byte) (lba >>> 16);
        c[4] = (byte) (lba >>> 8);
        c[5] = (byte) lba;
        c[8] = (byte) (IO / BLOCK);
        return c;
    }

    @Benchmark
    public ScsiStatus read() {
        return submit(cdb10(0x28, nextLba()), sink, IO, DataDirection.IN);
    }

    @Benchmark
    public ScsiStatus write() {
        return submit(cdb10(0x2a, nextLba()), sink, IO, DataDirection.OUT);
    }

    @Benchmark
    public ScsiStatus testUnitReady() {
        return submit(new byte[6], sink, 0, DataDirection.NONE);
    }
}

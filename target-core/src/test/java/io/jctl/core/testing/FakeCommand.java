package io.jctl.core.testing;

import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.dispatch.TargetView;
import io.jctl.core.lun.Lun;
import io.jctl.core.port.Port;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command for handler tests: supplies Data-Out from a byte array, records how the command ended and takes
 * ownership of any Data-In (released by {@link #dataIn()}). Handlers run synchronously against
 * {@link MemoryBackendLun}, so the outcome is known when {@link #run} returns.
 */
public final class FakeCommand implements Command {
    public static final Nexus NEXUS = new Nexus("iqn.2026-11.test:init", "iqn.2026-11.test:init,i,0x1", 1);

    private final ScsiTask task;
    private final Lun lun;
    private final Port port;
    private final TargetView target;
    private final byte[] dataOut;
    private int ends;
    private ByteBuf dataIn;
    private Throwable failure;
    private LunContext context;
    /** The command ended with CONDITION MET. */
    public boolean conditionMet;
    public int requestedDataOut = -1;

    public FakeCommand(byte[] cdb, Lun lun, Port port, TargetView target, byte[] dataOut) {
        this.task = new ScsiTask(NEXUS, 0, 1, TaskAttribute.SIMPLE, cdb, dataOut == null ? 4096 : dataOut.length,
                dataOut == null ? DataDirection.IN : DataDirection.OUT, null);
        this.lun = lun;
        this.port = port;
        this.target = target;
        this.dataOut = dataOut;
    }

    /** Runs the handler, treating a synchronously thrown ScsiException as {@code fail}, as the dispatcher does. */
    public FakeCommand run(CommandHandler handler) {
        try {
            handler.execute(this);
        } catch (ScsiException e) {
            fail(e);
        }
        assertEquals(1, ends, "the command must end exactly once");
        return this;
    }

    @Override
    public ScsiTask task() {
        return task;
    }

    @Override
    public Lun lun() {
        return lun;
    }

    /** The LUN's engine state: the fixture's, or one of this command's own made on first use. */
    @Override
    public synchronized LunContext context() {
        if (context == null && lun != null) {
            context = new LunContext(lun);
        }
        return context;
    }

    /** Runs against this engine state, so feature state (PREVENT bits, buffers ...) lives across commands. */
    public FakeCommand withContext(LunContext context) {
        this.context = context;
        return this;
    }

    @Override
    public Port port() {
        return port;
    }

    @Override
    public OpcodeEntry entry() {
        throw new AssertionError("handlers in this module do not need their entry");
    }

    @Override
    public TargetView target() {
        return target;
    }

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public CompletableFuture<ByteBuf> receiveData(int length) {
        requestedDataOut = length;
        if (dataOut == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no data-out in this test"));
        }
        int n = Math.min(length, dataOut.length);
        ByteBuf buf = alloc().buffer(n);
        buf.writeBytes(dataOut, 0, n);
        return CompletableFuture.completedFuture(buf);
    }

    @Override
    public void sendData(ByteBuf data) {
        data.release();
        throw new AssertionError("handlers in this module send data only at completion");
    }

    @Override
    public void complete() {
        ends++;
    }

    @Override
    public void complete(ByteBuf finalData) {
        ends++;
        dataIn = finalData;
    }

    @Override
    public void conditionMet() {
        ends++;
        conditionMet = true;
    }

    @Override
    public void fail(Throwable error) {
        ends++;
        failure = error;
    }

    public boolean succeeded() {
        return ends == 1 && failure == null;
    }

    public Throwable failure() {
        return failure;
    }

    /** The Data-In as bytes (empty when none); releases the buffer. */
    public byte[] dataIn() {
        assertNull(failure, () -> "command failed: " + failure);
        if (dataIn == null) {
            return new byte[0];
        }
        byte[] b = ByteBufUtil.getBytes(dataIn);
        dataIn.release();
        dataIn = null;
        return b;
    }

    /** Asserts CHECK CONDITION with this sense key, ASC and ASCQ; returns the exception for further checks. */
    public ScsiException assertSense(int key, int asc, int ascq) {
        if (!(failure instanceof ScsiException e)) {
            org.junit.jupiter.api.Assertions.fail("expected sense " + key + "/" + asc + "/" + ascq + " but got " + failure);
            return null;
        }
        assertNotNull(e.sense());
        assertEquals(key, e.sense().key(), "sense key");
        assertEquals(asc, e.sense().asc(), "ASC");
        assertEquals(ascq, e.sense().ascq(), "ASCQ");
        assertTrue(dataIn == null, "no data with an error");
        return e;
    }

    /** Asserts INVALID FIELD IN CDB (24h) pointing at byte/bit. */
    public void assertInvalidCdbField(int byteIndex, int bit) {
        ScsiException e = assertSense(0x5, 0x24, 0x00);
        assertPointer(e, true, byteIndex, bit);
    }

    /** Asserts INVALID FIELD IN PARAMETER LIST (26h) pointing at byte/bit. */
    public void assertInvalidParameterField(int byteIndex, int bit) {
        ScsiException e = assertSense(0x5, 0x26, 0x00);
        assertPointer(e, false, byteIndex, bit);
    }

    public static void assertPointer(ScsiException e, boolean cdb, int byteIndex, int bit) {
        byte[] sks = e.sense().senseKeySpecific();
        assertNotNull(sks, "field pointer");
        int expected0 = 0x80 | (cdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | bit : 0);
        assertEquals(expected0, sks[0] & 0xff, "SKSV/C/D/BPV/bit");
        assertEquals(byteIndex, ((sks[1] & 0xff) << 8) | (sks[2] & 0xff), "field pointer byte");
    }
}

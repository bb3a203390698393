package io.jctl.core.pr;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The real opcode table behind a CoreHarness, with CDB builders for the reservation commands. */
final class PrDriver implements AutoCloseable {
    static final int REGISTER = 0;
    static final int RESERVE = 1;
    static final int RELEASE = 2;
    static final int CLEAR = 3;
    static final int PREEMPT = 4;
    static final int PREEMPT_AND_ABORT = 5;
    static final int REGISTER_AND_IGNORE = 6;
    static final int WR_EX = 1;
    static final int EX_AC = 3;
    static final int WR_EX_RO = 5;
    static final int EX_AC_RO = 6;
    static final int WR_EX_AR = 7;
    static final int EX_AC_AR = 8;
    static final int APTPL = 0x01;

    final CoreHarness h;

    PrDriver() throws Exception {
        this(ReservationStore.NONE);
    }

    PrDriver(ReservationStore store) throws Exception {
        h = CoreHarness.standard();
        h.core.setReservationStore(store);
        h.disk(0);
    }

    Nexus nexus(String name) throws InterruptedException {
        Nexus n = h.nexus(name);
        h.clearUnitAttentions(n, 0);
        return n;
    }

    /** Runs a command; Data-Out, if the handler asks for it, comes from {@code dataOut}. */
    Completion run(Nexus n, byte[] cdb, byte[] dataOut) throws InterruptedException {
        ScsiTask t = h.submit(n, 0, cdb);
        CompletableFuture<ByteBuf> receive = h.transport.receives.get(t);
        if (receive != null) {
            assertNotNull(dataOut, "the command asked for data");
            receive.complete(Unpooled.wrappedBuffer(dataOut));
        }
        return h.transport.await(t);
    }

    static byte[] proutCdb(int sa, int scopeType, long length) {
        byte[] c = new byte[10];
        c[0] = 0x5f;
        c[1] = (byte) sa;
        c[2] = (byte) scopeType;
        ByteBuffer.wrap(c).putInt(5, (int) length);
        return c;
    }

    static byte[] parameters(long key, long saKey, int flags) {
        byte[] p = new byte[24];
        ByteBuffer.wrap(p).putLong(0, key).putLong(8, saKey);
        p[20] = (byte) flags;
        return p;
    }

    Completion out(Nexus n, int sa, int type, long key, long saKey, int flags) throws InterruptedException {
        return run(n, proutCdb(sa, type, 24), parameters(key, saKey, flags));
    }

    /** Asserts GOOD. */
    void ok(Completion c) {
        assertEquals(ScsiStatus.GOOD, c.status(), () -> "sense " + Sense.code(c.sense()));
    }

    void register(Nexus n, long key) throws InterruptedException {
        ok(out(n, REGISTER_AND_IGNORE, 0, 0, key, 0));
    }

    void reserve(Nexus n, long key, int type) throws InterruptedException {
        ok(out(n, RESERVE, type, key, 0, 0));
    }

    Completion in(Nexus n, int sa, int allocation) throws InterruptedException {
        byte[] c = new byte[10];
        c[0] = 0x5e;
        c[1] = (byte) sa;
        c[7] = (byte) (allocation >> 8);
        c[8] = (byte) allocation;
        return run(n, c, null);
    }

    long generation(Nexus n) throws InterruptedException {
        Completion c = in(n, 0, 8);
        ok(c);
        return ByteBuffer.wrap(c.data()).getInt(0) & 0xffffffffL;
    }

    List<Long> keys(Nexus n) throws InterruptedException {
        Completion c = in(n, 0, 4096);
        ok(c);
        ByteBuffer b = ByteBuffer.wrap(c.data());
        int len = b.getInt(4);
        List<Long> keys = new ArrayList<>();
        for (int off = 8; off < 8 + len; off += 8) {
            keys.add(b.getLong(off));
        }
        return keys;
    }

    /** READ RESERVATION: {key, type} or null when there is no reservation. */
    long[] reservation(Nexus n) throws InterruptedException {
        Completion c = in(n, 1, 4096);
        ok(c);
        ByteBuffer b = ByteBuffer.wrap(c.data());
        if (b.getInt(4) == 0) {
            return null;
        }
        return new long[] {b.getLong(8), b.get(21) & 0x0f};
    }

    static byte[] read10(int lba) {
        return new byte[] {0x28, 0, 0, 0, 0, (byte) lba, 0, 0, 1, 0};
    }

    static byte[] write10(int lba) {
        return new byte[] {0x2a, 0, 0, 0, 0, (byte) lba, 0, 0, 1, 0};
    }

    static byte[] tur() {
        return new byte[6];
    }

    Completion read(Nexus n) throws InterruptedException {
        return run(n, read10(0), null);
    }

    Completion write(Nexus n) throws InterruptedException {
        return run(n, write10(0), new byte[512]);
    }

    /** The pending UA of a nexus as "k/aa/qq", or "none" (taken by a TEST UNIT READY). */
    String unitAttention(Nexus n) throws InterruptedException {
        Completion c = run(n, tur(), null);
        return c.status() == ScsiStatus.CHECK_CONDITION ? Sense.code(c.sense()) : c.status().name();
    }

    @Override
    public void close() {
        h.close();
    }
}

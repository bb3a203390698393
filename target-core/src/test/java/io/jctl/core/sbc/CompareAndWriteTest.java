package io.jctl.core.sbc;

import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.RecordingTransport;
import io.jctl.core.testing.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static io.jctl.core.sbc.ReadWriteTest.rw16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareAndWriteTest {
    private final Fixtures fx = Fixtures.disk(100);
    private final CompareAndWrite caw = new CompareAndWrite();

    /** COMPARE AND WRITE of {@code blocks} blocks at {@code lba}; byte 1 carries DPO/FUA. */
    static byte[] caw(int flags, long lba, int blocks) {
        byte[] c = rw16(0x89, flags, lba, 0);
        c[13] = (byte) blocks;
        return c;
    }

    private static byte[] fill(int blocks, char verify, char write) {
        byte[] b = new byte[2 * blocks * 512];
        Arrays.fill(b, 0, blocks * 512, (byte) verify);
        Arrays.fill(b, blocks * 512, b.length, (byte) write);
        return b;
    }

    private void medium(long lba, int blocks, char c) {
        Arrays.fill(fx.storage.bytes(), (int) lba * 512, (int) (lba + blocks) * 512, (byte) c);
    }

    private byte[] mediumAt(long lba, int blocks) {
        return Arrays.copyOfRange(fx.storage.bytes(), (int) lba * 512, (int) (lba + blocks) * 512);
    }

    @Test
    void matchingDataIsReplaced() {
        medium(10, 3, 'A');
        FakeCommand c = fx.command(caw(0, 10, 3), fill(3, 'A', 'B')).run(caw);
        assertTrue(c.succeeded());
        assertEquals(6 * 512, c.requestedDataOut);
        assertEquals(6 * 512, c.task().commandDataLength());
        byte[] b = new byte[3 * 512];
        Arrays.fill(b, (byte) 'B');
        assertArrayEquals(b, mediumAt(10, 3));
        assertEquals(0, fx.storage.fuaWrites, "write cache on, no FUA");
        assertEquals(0, mediumAt(13, 1)[0], "nothing past the range");
    }

    @Test
    void fuaGoesToTheBackend() {
        medium(0, 1, 'A');
        assertTrue(fx.command(caw(0x08, 0, 1), fill(1, 'A', 'C')).run(caw).succeeded());
        assertEquals(1, fx.storage.fuaWrites);
        assertTrue(fx.command(caw(0x10, 0, 1), fill(1, 'C', 'D')).run(caw).succeeded(), "DPO accepted");
        assertEquals(1, fx.storage.fuaWrites);
    }

    @Test
    void miscompareReportsTheOffsetAndWritesNothing() {
        medium(97, 3, 'A');
        byte[] data = fill(3, 'A', 'B');
        data[3 * 512 - 27] = 'C';
        ScsiException e = fx.command(caw(0, 97, 3), data).run(caw).assertSense(0xe, 0x1d, 0x00);
        assertEquals(3L * 512 - 27, e.sense().information());
        assertEquals(0, fx.storage.writes);
        byte[] a = new byte[3 * 512];
        Arrays.fill(a, (byte) 'A');
        assertArrayEquals(a, mediumAt(97, 3));

        data[3 * 512 - 27] = 'A';
        data[0] = 'Z';
        e = fx.command(caw(0, 97, 3), data).run(caw).assertSense(0xe, 0x1d, 0x00);
        assertEquals(0L, e.sense().information());
    }

    @Test
    void zeroBlocksIsANoOp() {
        FakeCommand c = fx.command(caw(0, 5, 0), new byte[0]).run(caw);
        assertTrue(c.succeeded());
        assertEquals(-1, c.requestedDataOut);
        assertEquals(0, fx.storage.reads + fx.storage.writes);
        fx.command(caw(0, 5, 0), new byte[512 * 512]).run(caw).assertInvalidCdbField(13, -1);
    }

    @Test
    void rangeIsCheckedBeforeData() {
        FakeCommand c = fx.command(caw(0, 99, 2), fill(2, 'A', 'B')).run(caw);
        ScsiException e = c.assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        assertEquals(-1, c.requestedDataOut);
        e = fx.command(caw(0, 1L << 40, 1), fill(1, 'A', 'B')).run(caw).assertSense(5, 0x21, 0);
        assertEquals(1L << 40, e.sense().information());
    }

    @Test
    void dataOutOtherThanTwiceTheBlocksIsRefused() {
        FakeCommand small = fx.command(caw(0, 0, 3), new byte[4 * 512]).run(caw);
        small.assertInvalidCdbField(13, -1);
        assertEquals(-1, small.requestedDataOut, "refused before any transfer");
        fx.command(caw(0, 0, 1), new byte[4 * 512]).run(caw).assertInvalidCdbField(13, -1);
        assertEquals(0, fx.storage.reads + fx.storage.writes);
    }

    @Test
    void noWriteGetsBetweenTheCompareAndTheWrite() throws Exception {
        try (CoreHarness h = CoreHarness.standard()) {
            h.dataDisk(0);
            Nexus a = h.nexus("a");
            Nexus b = h.nexus("b");
            h.clearUnitAttentions(a, 0);
            h.clearUnitAttentions(b, 0);
            Arrays.fill(h.stores.get(0).bytes(), 0, 512, (byte) 'A');
            ScsiTask caw = new ScsiTask(a, LunAddress.encode(0), 100, TaskAttribute.SIMPLE, caw(0, 0, 1), 1024,
                    DataDirection.OUT, h.transport);
            h.core.submit(caw);
            CompletableFuture<ByteBuf> cawData = h.transport.receives.get(caw);
            assertTrue(cawData != null && !h.done(caw), "COMPARE AND WRITE waits for its Data-Out");

            byte[] write10 = Fixtures.cdb(0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0);
            ScsiTask hoq = new ScsiTask(b, LunAddress.encode(0), 101, TaskAttribute.HEAD_OF_QUEUE, write10, 512,
                    DataDirection.OUT, h.transport);
            h.core.submit(hoq);
            assertTrue(!h.transport.receives.containsKey(hoq) && !h.done(hoq),
                    "a HEAD OF QUEUE write to the range waits");

            cawData.complete(Unpooled.wrappedBuffer(fill(1, 'A', 'B')));
            assertEquals(ScsiStatus.GOOD, h.transport.await(caw).status());
            assertEquals('B', h.stores.get(0).bytes()[0]);
            h.transport.receives.get(hoq).complete(Unpooled.wrappedBuffer(fill(1, 'C', 'C'), 0, 512));
            assertEquals(ScsiStatus.GOOD, h.transport.await(hoq).status());
            assertEquals('C', h.stores.get(0).bytes()[0], "the write ran after, not inside, the compare and write");
        }
    }

    @Test
    void throughTheCore() throws Exception {
        try (CoreHarness h = CoreHarness.standard()) {
            h.dataDisk(0);
            h.dataDisk(1, "readonly", "on");
            Nexus a = h.nexus("a");
            h.clearUnitAttentions(a, 0);
            h.clearUnitAttentions(a, 1);
            Arrays.fill(h.stores.get(0).bytes(), 0, 512, (byte) 'A');

            RecordingTransport.Completion ok = h.runWithData(a, 0, caw(0, 0, 1), fill(1, 'A', 'B'));
            assertEquals(ScsiStatus.GOOD, ok.status());
            assertEquals('B', h.stores.get(0).bytes()[511]);

            RecordingTransport.Completion again = h.runWithData(a, 0, caw(0, 0, 1), fill(1, 'A', 'B'));
            assertEquals("e/1d/00", Sense.code(again.sense()));

            byte[] group = caw(0, 0, 1);
            group[14] = 3;
            RecordingTransport.Completion g = h.runWithData(a, 0, group, fill(1, 'B', 'B'));
            assertEquals("5/24/00", Sense.code(g.sense()));
            assertEquals(0xc9000e, Sense.sks(g.sense()), "group number bit 1 is not in CTL's mask");

            RecordingTransport.Completion ro = h.runWithData(a, 1, caw(0, 0, 1), fill(1, 'A', 'B'));
            assertEquals("7/27/01", Sense.code(ro.sense()));
        }
    }
}

package io.jctl.core.sbc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jctl.core.sbc.ReadWriteTest.rw16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrWriteAndWriteAtomicTest {
    private final Fixtures fx = Fixtures.disk(100);

    private static byte[] atomic(int flags, long lba, int blocks) {
        byte[] c = rw16(0x9c, flags, lba, 0);
        c[12] = (byte) (blocks >> 8);
        c[13] = (byte) blocks;
        return c;
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void orWriteOrsIntoTheMedium() {
        Arrays.fill(fx.storage.bytes(), 5 * 512, 8 * 512, (byte) 0x0f);
        byte[] data = filled(3 * 512, 0x30);
        data[700] = (byte) 0xc0;
        FakeCommand c = fx.command(rw16(0x8b, 0x08, 5, 3), data).run(new OrWrite());
        assertTrue(c.succeeded());
        assertEquals(3 * 512, c.requestedDataOut);
        byte[] expect = filled(3 * 512, 0x3f);
        expect[700] = (byte) 0xcf;
        assertArrayEquals(expect, Arrays.copyOfRange(fx.storage.bytes(), 5 * 512, 8 * 512));
        assertEquals(1, fx.storage.fuaWrites);
        assertEquals(0, fx.storage.bytes()[8 * 512]);
    }

    @Test
    void orWriteRangeAndZeroBlocks() {
        ScsiException e = fx.command(rw16(0x8b, 0, 99, 2), new byte[1024]).run(new OrWrite()).assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        FakeCommand zero = fx.command(rw16(0x8b, 0, 100, 0), new byte[0]).run(new OrWrite());
        assertTrue(zero.succeeded());
        assertEquals(0, fx.storage.reads + fx.storage.writes);
    }

    @Test
    void orWriteReadFailureWritesNothing() {
        fx.storage.failWith(new BackendIoException(BackendIoException.Kind.MEDIUM_ERROR, "bad"));
        assertTrue(fx.command(rw16(0x8b, 0, 0, 1), new byte[512]).run(new OrWrite()).failure()
                instanceof BackendIoException);
        assertEquals(0, fx.storage.writes);
    }

    @Test
    void writeAtomicNeedsStorageThatPromisesIt() {
        fx.command(atomic(0, 0, 1), new byte[512]).run(new WriteAtomic()).assertSense(5, 0x20, 0);
        assertEquals(0, fx.storage.writes);
    }

    @Test
    void writeAtomicWritesTheWholeRange() {
        fx.storage.atomicWrites(8);
        FakeCommand c = fx.command(atomic(0x08, 90, 8), filled(8 * 512, 0xa6)).run(new WriteAtomic());
        assertTrue(c.succeeded());
        assertArrayEquals(filled(8 * 512, 0xa6), Arrays.copyOfRange(fx.storage.bytes(), 90 * 512, 98 * 512));
        assertEquals(1, fx.storage.fuaWrites);
        fx.command(atomic(0, 0, 9), filled(9 * 512, 1)).run(new WriteAtomic()).assertInvalidCdbField(12, -1);
        ScsiException e = fx.command(atomic(0, 95, 8), filled(8 * 512, 1)).run(new WriteAtomic())
                .assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        FakeCommand torn = fx.command(atomic(0, 0, 4), filled(2 * 512, 1)).run(new WriteAtomic());
        torn.assertInvalidCdbField(12, -1);
        assertEquals(-1, torn.requestedDataOut, "never half a write");
        assertEquals(1, fx.storage.writes);
    }

    @Test
    void blockLimitsAdvertiseAtomicWrites() {
        assertEquals(0, CdbFields.u32(BlockVpdPages.blockLimits(fx.lun), 44));
        fx.storage.atomicWrites(Long.MAX_VALUE);
        assertEquals(ReadWrite.maxTransferBlocks(512), CdbFields.u32(BlockVpdPages.blockLimits(fx.lun), 44),
                "capped at the maximum transfer length");
        assertEquals(255, BlockVpdPages.blockLimits(fx.lun)[5] & 0xff, "MAXIMUM COMPARE AND WRITE LENGTH");
    }

    @Test
    void throughTheCore() throws Exception {
        try (CoreHarness h = CoreHarness.standard()) {
            h.dataDisk(0);
            h.dataDisk(1, "readonly", "on");
            Nexus a = h.nexus("a");
            h.clearUnitAttentions(a, 0);
            h.clearUnitAttentions(a, 1);
            h.stores.get(0).bytes()[0] = 0x01;
            assertEquals(ScsiStatus.GOOD, h.runWithData(a, 0, rw16(0x8b, 0, 0, 1), filled(512, 0x10)).status());
            assertEquals(0x11, h.stores.get(0).bytes()[0]);
            assertEquals("5/24/00", Sense.code(h.runWithData(a, 0, rw16(0x8b, 0x20, 0, 1), new byte[512]).sense()),
                    "ORPROTECT");
            assertEquals("7/27/01", Sense.code(h.runWithData(a, 1, rw16(0x8b, 0, 0, 1), new byte[512]).sense()));
            assertEquals("7/27/01", Sense.code(h.runWithData(a, 1, atomic(0, 0, 1), new byte[512]).sense()));
            byte[] boundary = atomic(0, 0, 1);
            boundary[11] = 1;
            h.stores.get(0).atomicWrites(16);
            assertEquals("5/24/00", Sense.code(h.runWithData(a, 0, boundary, new byte[512]).sense()),
                    "ATOMIC BOUNDARY");
            assertEquals(ScsiStatus.GOOD, h.runWithData(a, 0, atomic(0, 0, 1), new byte[512]).status());
        }
    }
}

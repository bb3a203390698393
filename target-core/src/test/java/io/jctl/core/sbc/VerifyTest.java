package io.jctl.core.sbc;

import io.jctl.core.scsi.ScsiException;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static io.jctl.core.sbc.ReadWriteTest.rw10;
import static io.jctl.core.sbc.ReadWriteTest.rw12;
import static io.jctl.core.sbc.ReadWriteTest.rw16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyTest {
    private final Fixtures fx = Fixtures.disk(100);
    private final Verify verify = new Verify();
    private final byte[] medium = new byte[100 * 512];

    VerifyTest() {
        new Random(7).nextBytes(medium);
        System.arraycopy(medium, 0, fx.storage.bytes(), 0, medium.length);
    }

    @Test
    void bytchkZeroReadsTheRange() {
        FakeCommand c = fx.command(rw10(0x2f, 0x00, 10, 4)).run(verify);
        assertTrue(c.succeeded());
        assertEquals(-1, c.requestedDataOut);
        assertEquals(1, fx.storage.reads);
    }

    @Test
    void bytchkOneComparesData() {
        byte[] same = Arrays.copyOfRange(medium, 10 * 512, 14 * 512);
        FakeCommand c = fx.command(rw10(0x2f, 0x02, 10, 4), same).run(verify);
        assertTrue(c.succeeded());
        assertEquals(4 * 512, c.requestedDataOut);
        assertTrue(fx.command(rw16(0x8f, 0x12, 10, 4), same).run(verify).succeeded(), "DPO accepted");
        assertTrue(fx.command(rw12(0xaf, 0x02, 10, 4), same).run(verify).succeeded());
    }

    @Test
    void miscompareReportsTheByteOffset() {
        byte[] data = Arrays.copyOfRange(medium, 96 * 512, 100 * 512);
        data[1234] ^= 'X';
        ScsiException e = fx.command(rw10(0x2f, 0x02, 96, 4), data).run(verify).assertSense(0xe, 0x1d, 0);
        assertEquals(1234L, e.sense().information());
        data[1234] ^= 'X';
        data[2047] ^= 1;
        e = fx.command(rw16(0x8f, 0x02, 96, 4), data).run(verify).assertSense(0xe, 0x1d, 0);
        assertEquals(2047L, e.sense().information());
    }

    @Test
    void firstDifferenceComparesAcrossCompositeBuffersAndReaderIndexes() {
        byte[] bytes = Arrays.copyOf(medium, 4096);
        ByteBuf medium = Unpooled.wrappedBuffer(new byte[7], bytes).skipBytes(7);
        ByteBuf data = Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, 1000),
                Arrays.copyOfRange(bytes, 1000, 4096));
        try {
            assertEquals(-1, Verify.firstDifference(data, medium, 4096));
            data.setByte(3001, data.getByte(3001) ^ 0x40);
            assertEquals(3001, Verify.firstDifference(data, medium, 4096));
            assertEquals(-1, Verify.firstDifference(data, medium, 3001), "only the first LENGTH bytes count");
        } finally {
            medium.release();
            data.release();
        }
        ByteBuf whole = Unpooled.wrappedBuffer(bytes);
        ByteBuf shorter = Unpooled.wrappedBuffer(bytes, 0, 100);
        try {
            assertEquals(100, Verify.firstDifference(whole, shorter, 200), "a short medium differs where it ends");
        } finally {
            whole.release();
            shorter.release();
        }
    }

    @Test
    void reservedBytchkValuesAreInvalid() {
        fx.command(rw10(0x2f, 0x04, 0, 1)).run(verify).assertInvalidCdbField(1, 2);
        fx.command(rw10(0x2f, 0x06, 0, 1)).run(verify).assertInvalidCdbField(1, 2);
    }

    @Test
    void rangeIsCheckedBeforeData() {
        FakeCommand c = fx.command(rw10(0x2f, 0x02, 99, 2), new byte[1024]).run(verify);
        c.assertSense(5, 0x21, 0);
        assertEquals(-1, c.requestedDataOut);
        fx.command(rw10(0x2f, 0x02, 101, 0)).run(verify).assertSense(5, 0x21, 0);
        assertTrue(fx.command(rw10(0x2f, 0x02, 0, 0)).run(verify).succeeded());
    }

    @Test
    void backendThrowingEndsTheCommand() {
        IllegalStateException broken = new IllegalStateException("broken backend");
        fx.storage.throwOnCall(broken);
        assertEquals(broken, fx.command(rw10(0x2f, 0x02, 0, 1), new byte[512]).run(verify).failure());
    }
}

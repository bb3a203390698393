package io.jctl.core.spc;

import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.stats.IoType;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import io.jctl.core.testing.RecordingTransport;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LOG SENSE, REPORT TIMESTAMP, REPORT IDENTIFYING INFORMATION and READ/WRITE BUFFER. */
class ServiceCommandsTest {
    private final Fixtures fx = new Fixtures(LunType.DIRECT, 100, 512,
            Map.of("temperature", "41", "ident_info", "rack 7", "text_ident_info", "database volume"));

    private static byte[] logSense(int page, int subpage, int alloc) {
        return cdb(0x4d, 0, 0x40 | page, subpage, 0, 0, 0, alloc >> 8, alloc, 0);
    }

    @Test
    void supportedLogPages() {
        byte[] b = fx.command(logSense(0, 0, 255)).run(new LogSense()).dataIn();
        assertArrayEquals(cdb(0, 0, 0, 4, 0x00, 0x0d, 0x19, 0x2f), b);
        b = fx.command(logSense(0, 0xff, 255)).run(new LogSense()).dataIn();
        assertArrayEquals(cdb(0x40, 0xff, 0, 10, 0, 0, 0, 0xff, 0x0d, 0, 0x19, 0, 0x2f, 0), b);
        assertEquals(3, fx.command(logSense(0, 0, 3)).run(new LogSense()).dataIn().length);
    }

    @Test
    void provisioningPageWhereTheStorageCounts() {
        fx.storage.counts(3 * 2048 + 5, -1);
        assertArrayEquals(cdb(0, 0, 0, 5, 0x00, 0x0c, 0x0d, 0x19, 0x2f),
                fx.command(logSense(0, 0, 255)).run(new LogSense()).dataIn());
        byte[] b = fx.command(logSense(0x0c, 0, 255)).run(new LogSense()).dataIn();
        assertArrayEquals(cdb(0x8c, 0, 0, 12, 0, 2, 3, 8, 0, 0, 0, 3, 1, 0, 0, 0), b, "DS; used only, 2048-block units");
        fx.storage.counts(0, 0x1_0000_0000L * 2048 + 4096);
        b = fx.command(logSense(0x0c, 0, 255)).run(new LogSense()).dataIn();
        assertEquals(4 + 24, b.length);
        assertArrayEquals(cdb(0, 1, 3, 8, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0), Arrays.copyOfRange(b, 4, 16),
                "available, capped at 32 bits");
        assertArrayEquals(cdb(0, 2, 3, 8, 0, 0, 0, 0, 1, 0, 0, 0), Arrays.copyOfRange(b, 16, 28));
        Fixtures processor = new Fixtures(LunType.PROCESSOR, 10, 512, Map.of());
        processor.storage.counts(1, 1);
        processor.command(logSense(0x0c, 0, 255)).run(new LogSense()).assertInvalidCdbField(2, -1);
    }

    @Test
    void unsupportedLogPages() {
        fx.command(logSense(0x0c, 0, 255)).run(new LogSense()).assertInvalidCdbField(2, -1);
        fx.command(logSense(0x0d, 0x01, 255)).run(new LogSense()).assertInvalidCdbField(3, -1);
        fx.command(logSense(0x30, 0x01, 255)).run(new LogSense()).assertInvalidCdbField(2, -1);
    }

    @Test
    void temperatureAndInformationalExceptions() {
        byte[] t = fx.command(logSense(0x0d, 0, 255)).run(new LogSense()).dataIn();
        assertArrayEquals(cdb(0x0d, 0, 0, 12, 0, 0, 3, 2, 0, 41, 0, 1, 3, 2, 0, 0xff), t,
                "41 °C, reference temperature not configured");
        byte[] ie = fx.command(logSense(0x2f, 0, 255)).run(new LogSense()).dataIn();
        assertArrayEquals(cdb(0x2f, 0, 0, 7, 0, 0, 3, 3, 0, 0, 41), ie);
    }

    @Test
    void statisticsComeFromTheLun() {
        fx.context.stats().record(IoType.READ, 8 * 512, 1, 5_000_000, 0);
        fx.context.stats().record(IoType.READ, 2 * 512, 1, 1_000_000, 0);
        fx.context.stats().record(IoType.WRITE, 4 * 512, 1, 2_000_000, 0);
        byte[] b = fx.command(logSense(0x19, 0, 255)).run(new LogSense()).dataIn();
        assertEquals(4 + 80, b.length);
        assertArrayEquals(cdb(0x19, 0, 0, 80, 0, 1, 3, 0x40), Arrays.copyOf(b, 8));
        assertEquals(2, u64(b, 8), "read commands");
        assertEquals(1, u64(b, 16), "write commands");
        assertEquals(4, u64(b, 24), "blocks received");
        assertEquals(10, u64(b, 32), "blocks sent");
        assertEquals(6, u64(b, 40), "read ms");
        assertEquals(2, u64(b, 48), "write ms");
        assertArrayEquals(cdb(0, 3, 3, 8, 0, 0, 0, 3, 0, 0, 0, 1), Arrays.copyOfRange(b, 72, 84), "1 ms units");
    }

    private static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }

    @Test
    void timestampIsTheHostClockInMilliseconds() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(0x0123_4567_89abL), ZoneOffset.UTC);
        byte[] b = fx.command(cdb(0xa3, 0x0f, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0)).run(new ReportTimestamp(clock)).dataIn();
        assertArrayEquals(cdb(0, 10, 3, 0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0, 0), b);
    }

    private static byte[] ridi(int type, int alloc) {
        return cdb(0xa3, 0x05, 0, 0, 0, 0, 0, 0, alloc >> 8, alloc, type << 1, 0);
    }

    @Test
    void identifyingInformationFromTheOptions() {
        byte[] b = fx.command(ridi(0, 512)).run(new ReportIdentifyingInformation()).dataIn();
        byte[] expect = new byte[4 + 8];
        expect[3] = 8;
        System.arraycopy("rack 7".getBytes(StandardCharsets.US_ASCII), 0, expect, 4, 6);
        assertArrayEquals(expect, b);
        b = fx.command(ridi(2, 512)).run(new ReportIdentifyingInformation()).dataIn();
        assertEquals(4 + 16, b.length, "15 characters and their null");
        assertEquals(0, b[4 + 15]);
        b = fx.command(ridi(0x7f, 512)).run(new ReportIdentifyingInformation()).dataIn();
        assertArrayEquals(cdb(0, 0, 0, 8, 0, 0, 2, 0, 4, 0, 1, 0), b);
        fx.command(ridi(1, 512)).run(new ReportIdentifyingInformation()).assertInvalidCdbField(10, 7);
        Fixtures plain = Fixtures.disk(10);
        assertArrayEquals(cdb(0, 0, 0, 0), plain.command(ridi(0, 512)).run(new ReportIdentifyingInformation())
                .dataIn(), "unset: empty");
    }

    @Test
    void bufferReadsBackWhatWasWritten() {
        byte[] data = "hello buffer".getBytes(StandardCharsets.US_ASCII);
        FakeCommand w = fx.command(cdb(0x3b, 0x02, 0, 0, 0x10, 0, 0, 0, data.length, 0), data)
                .run(new BufferCommands.Write());
        assertTrue(w.succeeded());
        byte[] r = fx.command(cdb(0x3c, 0x02, 0, 0, 0x10, 0x00, 0, 0, data.length + 2, 0))
                .run(new BufferCommands.Read()).dataIn();
        assertArrayEquals(Arrays.copyOf(data, data.length + 2), r);
        byte[] r16 = fx.command(cdb(0x9b, 0x02, 0, 0, 0, 0, 0, 0, 0x10, 0x06, 0, 0, 0, 6, 0, 0))
                .run(new BufferCommands.Read()).dataIn();
        assertArrayEquals("buffer".getBytes(StandardCharsets.US_ASCII), r16);
    }

    @Test
    void bufferDescriptors() {
        assertArrayEquals(cdb(0, 0x04, 0, 0), fx.command(cdb(0x3c, 0x03, 0, 0, 0, 0, 0, 0, 4, 0))
                .run(new BufferCommands.Read()).dataIn(), "256 KiB, byte aligned");
        assertArrayEquals(cdb(0, 0, 0, 0), fx.command(cdb(0x3c, 0x0b, 0, 0, 0, 0, 0, 0, 4, 0))
                .run(new BufferCommands.Read()).dataIn(), "no echo buffer");
    }

    @Test
    void bufferRangesPastTheEnd() {
        fx.command(cdb(0x3c, 0x02, 0, 0x04, 0, 0x01, 0, 0, 0, 0)).run(new BufferCommands.Read())
                .assertInvalidCdbField(3, -1);
        fx.command(cdb(0x3c, 0x02, 0, 0x03, 0xff, 0xff, 0, 0, 2, 0)).run(new BufferCommands.Read())
                .assertInvalidCdbField(6, -1);
        fx.command(cdb(0x9b, 0x02, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)).run(new BufferCommands.Read())
                .assertInvalidCdbField(2, -1);
        FakeCommand w = fx.command(cdb(0x3b, 0x02, 0, 0x04, 0, 0, 0, 0, 1, 0), new byte[1])
                .run(new BufferCommands.Write());
        w.assertInvalidCdbField(6, -1);
        assertEquals(-1, w.requestedDataOut);
        assertEquals(0, fx.command(cdb(0x3c, 0x02, 0, 0x04, 0, 0, 0, 0, 0, 0)).run(new BufferCommands.Read())
                .dataIn().length, "an empty read at the very end");
    }

    @Test
    void throughTheCore() throws Exception {
        try (CoreHarness h = CoreHarness.standard()) {
            h.dataDisk(0, "removable", "on");
            Nexus a = h.nexus("a");
            h.clearUnitAttentions(a, 0);
            assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(0x1b, 0, 0, 0, 0x02, 0)).status(), "eject");
            assertEquals(ScsiStatus.GOOD, h.run(a, 0, logSense(0, 0, 255)).status(), "no medium needed");
            assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(0xa3, 0x0f, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0)).status());
            RecordingTransport.Completion w = h.runWithData(a, 0, cdb(0x3b, 0x02, 0, 0, 0, 0, 0, 0, 4, 0),
                    cdb(1, 2, 3, 4));
            assertEquals(ScsiStatus.GOOD, w.status());
            assertArrayEquals(cdb(1, 2, 3, 4), h.run(a, 0, cdb(0x3c, 0x02, 0, 0, 0, 0, 0, 0, 4, 0)).data());
            assertEquals("5/24/00", Sense.code(h.run(a, 0, cdb(0x3c, 0x02, 1, 0, 0, 0, 0, 0, 4, 0)).sense()),
                    "buffer ID 1");
            RecordingTransport.Completion mode = h.run(a, 0, cdb(0x3c, 0x0a, 0, 0, 0, 0, 0, 0, 4, 0));
            assertEquals(0xcc0001, Sense.sks(mode.sense()), "echo buffer mode is not served: byte 1 bit 4");
            assertEquals("5/24/00", Sense.code(h.run(a, 0, cdb(0x4d, 0x01, 0, 0, 0, 0, 0, 0, 4, 0)).sense()),
                    "SP is not offered");
        }
    }
}

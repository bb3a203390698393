package io.jctl.core.spc;

import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.lun.LunType;
import io.jctl.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TEST UNIT READY, REPORT SUPPORTED OPERATION CODES and REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS. */
class ReportCommandsTest {
    private final Fixtures fx = Fixtures.disk(100);
    private final ReportSupportedOpcodes rsoc = new ReportSupportedOpcodes();

    private static byte[] rsocCdb(int options, int opcode, int sa) {
        return cdb(0xa3, 0x0c, options, opcode, sa >> 8, sa, 0, 0, 0xff, 0xff, 0, 0);
    }

    @Test
    void testUnitReady() {
        assertTrue(fx.command(cdb(0, 0, 0, 0, 0, 0)).run(new TestUnitReady()).succeeded());
    }

    @Test
    void allCommandsOfADisk() {
        byte[] b = fx.command(rsocCdb(0, 0, 0)).run(rsoc).dataIn();
        int len = (int) io.jctl.core.cdb.CdbFields.u32(b, 0);
        assertEquals(b.length - 4, len);
        int count = len / 8;
        assertEquals(fx.target.opcodes().entries().size(), count, "every row applies to a disk");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int p = 4 + 8 * i;
            int op = b[p] & 0xff;
            int sa = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
            boolean servactv = (b[p + 5] & 0x01) != 0;
            assertEquals(0, b[p + 5] & 0x02, "no CTDP without RCTD");
            if (!servactv) {
                assertEquals(0, sa);
            }
            seen.add(String.format("%02x/%s", op, servactv ? Integer.toHexString(sa) : "-"));
        }
        assertTrue(seen.containsAll(Set.of("28/-", "2a/-", "12/-", "9e/10", "a3/c", "a3/d", "1a/-")), seen::toString);
    }

    @Test
    void processorSeesNoBlockCommands() {
        Fixtures proc = new Fixtures(LunType.PROCESSOR, 1, 512, Map.of());
        byte[] b = proc.command(rsocCdb(0, 0, 0)).run(rsoc).dataIn();
        for (int p = 4; p < b.length; p += 8) {
            int op = b[p] & 0xff;
            assertTrue(op == 0x00 || op == 0x12 || op == 0x15 || op == 0x1a || op == 0x55 || op == 0x5a
                    || op == 0xa3, "opcode " + Integer.toHexString(op));
        }
        byte[] one = proc.command(rsocCdb(1, 0x28, 0)).run(rsoc).dataIn();
        assertArrayEquals(cdb(0, 1, 0, 0), one, "READ(10) not supported on a processor");
    }

    @Test
    void timeoutsDescriptors() {
        byte[] b = fx.command(rsocCdb(0x80, 0, 0)).run(rsoc).dataIn();
        for (int p = 4; p < b.length; p += 20) {
            assertEquals(0x02, b[p + 5] & 0x02, "CTDP");
            assertArrayEquals(cdb(0, 0x0a), Arrays.copyOfRange(b, p + 8, p + 10));
        }
        byte[] one = fx.command(rsocCdb(0x81, 0x28, 0)).run(rsoc).dataIn();
        assertEquals(4 + 10 + 12, one.length);
        assertEquals((byte) 0x83, one[1]);
    }

    @Test
    void oneCommandUsageData() {
        byte[] b = fx.command(rsocCdb(1, 0x28, 0)).run(rsoc).dataIn();
        assertArrayEquals(cdb(0, 3, 0, 10, 0x28, 0x1a, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07), b);
        byte[] sa = fx.command(rsocCdb(2, 0x9e, 0x10)).run(rsoc).dataIn();
        assertEquals(4 + 16, sa.length);
        assertEquals(0x9e, sa[4] & 0xff);
        assertEquals(0x10, sa[5]);
        byte[] either = fx.command(rsocCdb(3, 0x9e, 0x10)).run(rsoc).dataIn();
        assertArrayEquals(sa, either);
        byte[] unknown = fx.command(rsocCdb(1, 0xc0, 0)).run(rsoc).dataIn();
        assertArrayEquals(cdb(0, 1, 0, 0), unknown);
        byte[] unknownSa = fx.command(rsocCdb(2, 0x9e, 0x11)).run(rsoc).dataIn();
        assertArrayEquals(cdb(0, 1, 0, 0), unknownSa);
    }

    @Test
    void wrongReportingOptionForTheOpcode() {
        fx.command(rsocCdb(1, 0x9e, 0)).run(rsoc).assertInvalidCdbField(2, 2);
        fx.command(rsocCdb(2, 0x28, 0)).run(rsoc).assertInvalidCdbField(2, 2);
        fx.command(rsocCdb(4, 0x28, 0)).run(rsoc).assertInvalidCdbField(2, 2);
    }

    @Test
    void usageDataMatchesEveryRow() {
        for (OpcodeEntry e : fx.target.opcodes().entries()) {
            int options = e.hasServiceAction() ? 2 : 1;
            byte[] b = fx.command(rsocCdb(options, e.opcode(), Math.max(0, e.serviceAction()))).run(rsoc).dataIn();
            byte[] usage = e.usageMask();
            usage[0] = (byte) e.opcode();
            assertArrayEquals(usage, Arrays.copyOfRange(b, 4, b.length), e.name());
        }
    }

    @Test
    void supportedTaskManagementFunctions() {
        ReportSupportedTmf tmf = new ReportSupportedTmf();
        byte[] b = fx.command(cdb(0xa3, 0x0d, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0)).run(tmf).dataIn();
        assertArrayEquals(cdb(0xde, 0x07, 0, 0), b);
        byte[] ext = fx.command(cdb(0xa3, 0x0d, 0x80, 0, 0, 0, 0, 0, 0, 16, 0, 0)).run(tmf).dataIn();
        assertEquals(16, ext.length);
        assertEquals(0x0c, ext[3]);
    }
}

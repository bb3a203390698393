package io.jctl.core.spc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.sbc.SbcCommands;
import io.jctl.core.task.DataDirection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rows this module contributes form a valid table with CDB lengths, directions and flags as CTL's. */
class OpcodeRowsTest {
    private final List<OpcodeEntry> rows = new ArrayList<>();

    OpcodeRowsTest() {
        rows.addAll(SpcCommands.entries());
        rows.addAll(SbcCommands.entries());
    }

    private static int cdbLengthOfGroup(int opcode) {
        return switch (opcode >> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> -1;
        };
    }

    @Test
    void rowsBuildATable() {
        OpcodeTable table = new OpcodeTable(rows);
        assertEquals(rows.size(), table.entries().size());
    }

    @Test
    void masksHaveTheGroupLengthAndTheOpcodeByte() {
        for (OpcodeEntry e : rows) {
            byte[] mask = e.usageMask();
            assertEquals(cdbLengthOfGroup(e.opcode()), mask.length, e.name());
            assertEquals((byte) 0xff, mask[0], e.name());
            assertEquals(0x07, mask[mask.length - 1], e.name() + " control byte");
            if (e.hasServiceAction()) {
                assertEquals(e.serviceAction(), mask[1] & 0x1f, e.name() + " service action in usage data");
            }
        }
    }

    @Test
    void writeClassRowsWriteTheMediumAndHaveExtents() {
        for (OpcodeEntry e : rows) {
            boolean write = e.name().startsWith("WRITE");
            assertEquals(write, e.has(CommandFlag.WRITES_MEDIUM), e.name());
            if (write) {
                assertEquals(DataDirection.OUT, e.direction(), e.name());
            }
            boolean io = e.name().startsWith("READ(") || e.name().startsWith("WRITE") || e.name().startsWith("VERIFY");
            if (io) {
                assertNotNull(e.extent(), e.name());
            } else {
                assertNull(e.extent(), e.name());
            }
        }
    }

    @Test
    void protectionFieldsAreOutsideTheMasks() {
        for (OpcodeEntry e : rows) {
            String n = e.name();
            if (n.startsWith("READ(1") || n.startsWith("WRITE(1") || n.startsWith("VERIFY") || n.startsWith("WRITE AND")) {
                assertEquals(0, e.usageMask()[1] & 0xe0, n + ": RDPROTECT/WRPROTECT/VRPROTECT not allowed");
            }
        }
        assertTrue(rows.stream().anyMatch(e -> e.opcode() == 0x12 && e.has(CommandFlag.OK_ON_NO_LUN)));
    }
}

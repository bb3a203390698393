package io.jctl.core.cdb;

import io.jctl.core.sbc.SbcCommands;
import io.jctl.core.spc.SpcCommands;

import java.util.ArrayList;
import java.util.List;

/**
 * The target's opcode table: every command set's rows together. The engine's own SPC rows (REQUEST SENSE,
 * REPORT LUNS: {@code io.jctl.core.spc.EngineCommands}) are added to {@link #rows()} when they land.
 */
public final class StandardOpcodes {
    private StandardOpcodes() {
    }

    public static OpcodeTable table() {
        return new OpcodeTable(rows());
    }

    /** Every row: SPC (INQUIRY, MODE, reports ...) and SBC (block commands). */
    public static List<OpcodeEntry> rows() {
        List<OpcodeEntry> rows = new ArrayList<>(SpcCommands.entries());
        rows.addAll(SbcCommands.entries());
        return rows;
    }
}

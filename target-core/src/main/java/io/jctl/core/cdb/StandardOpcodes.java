package io.jctl.core.cdb;

import io.jctl.core.pr.PrCommands;
import io.jctl.core.sbc.ProvisioningCommands;
import io.jctl.core.sbc.SbcCommands;
import io.jctl.core.sbc.SbcMediumCommands;
import io.jctl.core.spc.EngineCommands;
import io.jctl.core.spc.SpcCommands;
import io.jctl.core.spc.SpcServiceCommands;
import io.jctl.core.tpc.TpcCommands;

import java.util.ArrayList;
import java.util.List;

/** The target's opcode table: every command set's rows together. */
public final class StandardOpcodes {
    private StandardOpcodes() {
    }

    public static OpcodeTable table() {
        return new OpcodeTable(rows());
    }

    /** Every row: the engine's (REQUEST SENSE, REPORT LUNS), SPC (INQUIRY, MODE, reports ...), SBC and
     * reservations and third-party copy. */
    public static List<OpcodeEntry> rows() {
        List<OpcodeEntry> rows = new ArrayList<>(EngineCommands.entries());
        rows.addAll(SpcCommands.entries());
        rows.addAll(SbcCommands.entries());
        rows.addAll(ProvisioningCommands.entries());
        rows.addAll(SbcMediumCommands.entries());
        rows.addAll(SpcServiceCommands.entries());
        rows.addAll(PrCommands.entries());
        rows.addAll(TpcCommands.entries());
        return rows;
    }
}

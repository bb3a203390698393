package io.jctl.core.cdb;

import io.jctl.core.spc.EngineCommands;

import java.util.ArrayList;
import java.util.List;

/** The target's opcode table: every command set's rows together. */
public final class StandardOpcodes {
    private StandardOpcodes() {
    }

    public static OpcodeTable table() {
        List<OpcodeEntry> rows = new ArrayList<>(EngineCommands.entries());
        return new OpcodeTable(rows);
    }
}

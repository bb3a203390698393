package io.jctl.core.cdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The opcode table as data: one {@link OpcodeEntry} per opcode or opcode/service action. Command sets
 * (SPC, SBC ...) contribute their rows; the dispatcher looks commands up here.
 */
public final class OpcodeTable {
    /** Opcodes whose service action lives in byte 1 bits 4-0. */
    private final boolean[] hasServiceActions = new boolean[256];
    private final OpcodeEntry[] plain = new OpcodeEntry[256];
    private final OpcodeEntry[][] byServiceAction = new OpcodeEntry[256][];
    private final List<OpcodeEntry> all = new ArrayList<>();

    public OpcodeTable(List<OpcodeEntry> entries) {
        for (OpcodeEntry e : entries) {
            add(e);
        }
        all.sort((a, b) -> a.opcode() != b.opcode()
                ? Integer.compare(a.opcode(), b.opcode())
                : Integer.compare(a.serviceAction(), b.serviceAction()));
    }

    private void add(OpcodeEntry e) {
        int op = e.opcode();
        if (e.hasServiceAction()) {
            if (plain[op] != null) {
                throw new IllegalArgumentException("opcode 0x" + Integer.toHexString(op) + " has both forms");
            }
            hasServiceActions[op] = true;
            if (byServiceAction[op] == null) {
                byServiceAction[op] = new OpcodeEntry[32];
            }
            if (byServiceAction[op][e.serviceAction()] != null) {
                throw new IllegalArgumentException("duplicate " + e.name());
            }
            byServiceAction[op][e.serviceAction()] = e;
        } else {
            if (plain[op] != null || hasServiceActions[op]) {
                throw new IllegalArgumentException("duplicate " + e.name());
            }
            plain[op] = e;
        }
        all.add(e);
    }

    /** True when the opcode is known at all (with any service action). */
    public boolean knowsOpcode(int opcode) {
        return plain[opcode] != null || hasServiceActions[opcode];
    }

    public boolean usesServiceAction(int opcode) {
        return hasServiceActions[opcode];
    }

    /** The entry for a CDB, or empty if the opcode or service action is unknown. */
    public Optional<OpcodeEntry> lookup(byte[] cdb) {
        int op = cdb[0] & 0xff;
        if (hasServiceActions[op]) {
            return cdb.length < 2 ? Optional.empty() : Optional.ofNullable(byServiceAction[op][cdb[1] & 0x1f]);
        }
        return Optional.ofNullable(plain[op]);
    }

    public Optional<OpcodeEntry> lookup(int opcode, int serviceAction) {
        if (hasServiceActions[opcode]) {
            return serviceAction < 0 || serviceAction > 31 ? Optional.empty()
                    : Optional.ofNullable(byServiceAction[opcode][serviceAction]);
        }
        return serviceAction >= 0 ? Optional.empty() : Optional.ofNullable(plain[opcode]);
    }

    /** Every entry, ordered by opcode then service action. */
    public List<OpcodeEntry> entries() {
        return Collections.unmodifiableList(all);
    }
}

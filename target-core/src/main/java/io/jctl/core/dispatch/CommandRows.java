package io.jctl.core.dispatch;

import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.scsi.ScsiException;

/**
 * The opcode table flattened for the hot path: entry and usage mask per opcode (and service action), found
 * without allocation; CDB validation against the mask with CTL's answers (ctl-facts §1.1).
 */
final class CommandRows {
    record Row(OpcodeEntry entry, byte[] mask) {
    }

    private final Row[] plain = new Row[256];
    private final Row[][] byServiceAction = new Row[256][];

    CommandRows(OpcodeTable table) {
        for (OpcodeEntry e : table.entries()) {
            Row row = new Row(e, e.usageMask());
            if (e.hasServiceAction()) {
                if (byServiceAction[e.opcode()] == null) {
                    byServiceAction[e.opcode()] = new Row[32];
                }
                byServiceAction[e.opcode()][e.serviceAction()] = row;
            } else {
                plain[e.opcode()] = row;
            }
        }
    }

    /**
     * The row for a CDB whose bytes all lie inside the usage mask.
     *
     * @throws ScsiException INVALID COMMAND OPERATION CODE for an unknown opcode; INVALID FIELD IN CDB for an
     *                       unknown service action (byte 1 bit 4), a CDB shorter than the command, or a bit outside
     *                       the mask (the first offending byte and its highest offending bit)
     */
    Row lookup(byte[] cdb) {
        if (cdb == null || cdb.length == 0) {
            throw ScsiException.invalidOpcode();
        }
        int op = cdb[0] & 0xff;
        Row row;
        Row[] sa = byServiceAction[op];
        if (sa != null) {
            row = cdb.length < 2 ? null : sa[cdb[1] & 0x1f];
            if (row == null) {
                throw ScsiException.invalidFieldInCdb(1, 4);
            }
        } else {
            row = plain[op];
            if (row == null) {
                throw ScsiException.invalidOpcode();
            }
        }
        byte[] mask = row.mask;
        if (cdb.length < mask.length) {
            throw ScsiException.invalidFieldInCdb(cdb.length - 1, -1);
        }
        for (int i = 1; i < mask.length; i++) {
            int bad = cdb[i] & ~mask[i] & 0xff;
            if (bad != 0) {
                throw ScsiException.invalidFieldInCdb(i, 31 - Integer.numberOfLeadingZeros(bad));
            }
        }
        return row;
    }
}

package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * REPORT SUPPORTED OPERATION CODES (A3h/0Ch), generated from the opcode table filtered by the LUN's type.
 * Reporting options 000b (all commands), 001b (by opcode; refused for opcodes with service actions), 010b (by
 * opcode and service action; refused for opcodes without), 011b (either). The CDB usage data is the row's usage
 * mask with the opcode in byte 0. RCTD adds command timeouts descriptors (all timeouts 0: not specified).
 */
public final class ReportSupportedOpcodes implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(ReportSupportedOpcodes.class);

    static final int RCTD = 0x80;
    static final int CTDP = 0x02;
    static final int SERVACTV = 0x01;
    static final int TIMEOUTS_LENGTH = 12;
    /** SUPPORT field values of the one-command format. */
    static final int NOT_SUPPORTED = 1;
    static final int SUPPORTED = 3;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean rctd = (cdb[2] & RCTD) != 0;
        int options = cdb[2] & 0x07;
        int opcode = cdb[3] & 0xff;
        int serviceAction = CdbFields.u16(cdb, 4);
        long alloc = CdbFields.u32(cdb, 6);
        Lun lun = cmd.lun();
        OpcodeTable table = cmd.target().opcodes();
        byte[] data = switch (options) {
            case 0 -> all(table, lun, rctd);
            case 1 -> {
                if (table.usesServiceAction(opcode)) {
                    log.debug("{}: opcode 0x{} has service actions", cmd.task(), Integer.toHexString(opcode));
                    throw ScsiException.invalidFieldInCdb(2, 2);
                }
                yield one(table.lookup(opcode, -1), lun, rctd);
            }
            case 2 -> {
                if (!table.usesServiceAction(opcode)) {
                    log.debug("{}: opcode 0x{} has no service actions", cmd.task(), Integer.toHexString(opcode));
                    throw ScsiException.invalidFieldInCdb(2, 2);
                }
                yield one(lookupServiceAction(table, opcode, serviceAction), lun, rctd);
            }
            case 3 -> one(table.usesServiceAction(opcode) ? lookupServiceAction(table, opcode, serviceAction)
                    : table.lookup(opcode, -1), lun, rctd);
            default -> {
                log.debug("{}: reporting options {}", cmd.task(), options);
                throw ScsiException.invalidFieldInCdb(2, 2);
            }
        };
        DataIn.reply(cmd, data, alloc);
    }

    private static Optional<OpcodeEntry> lookupServiceAction(OpcodeTable table, int opcode, int serviceAction) {
        return serviceAction > 0x1f ? Optional.empty() : table.lookup(opcode, serviceAction);
    }

    private static boolean applies(OpcodeEntry e, Lun lun) {
        return lun == null || e.lunTypes().contains(lun.type());
    }

    static byte[] all(OpcodeTable table, Lun lun, boolean rctd) {
        List<OpcodeEntry> entries = table.entries().stream().filter(e -> applies(e, lun)).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[4]);
        for (OpcodeEntry e : entries) {
            byte[] d = new byte[8];
            d[0] = (byte) e.opcode();
            if (e.hasServiceAction()) {
                CdbFields.put16(d, 2, e.serviceAction());
            }
            d[5] = (byte) ((rctd ? CTDP : 0) | (e.hasServiceAction() ? SERVACTV : 0));
            CdbFields.put16(d, 6, e.cdbLength());
            out.writeBytes(d);
            if (rctd) {
                out.writeBytes(timeouts());
            }
        }
        byte[] data = out.toByteArray();
        CdbFields.put32(data, 0, data.length - 4);
        return data;
    }

    static byte[] one(Optional<OpcodeEntry> found, Lun lun, boolean rctd) {
        Optional<OpcodeEntry> entry = found.filter(e -> applies(e, lun));
        if (entry.isEmpty()) {
            byte[] b = new byte[4];
            b[1] = (byte) NOT_SUPPORTED;
            return b;
        }
        OpcodeEntry e = entry.get();
        byte[] usage = e.usageMask();
        usage[0] = (byte) e.opcode();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = new byte[4];
        head[1] = (byte) ((rctd ? 0x80 : 0) | SUPPORTED);
        CdbFields.put16(head, 2, usage.length);
        out.writeBytes(head);
        out.writeBytes(usage);
        if (rctd) {
            out.writeBytes(timeouts());
        }
        return out.toByteArray();
    }

    /** Command timeouts descriptor: length 0Ah, nominal and recommended timeouts 0 (not specified). */
    private static byte[] timeouts() {
        byte[] t = new byte[TIMEOUTS_LENGTH];
        CdbFields.put16(t, 0, TIMEOUTS_LENGTH - 2);
        return t;
    }
}

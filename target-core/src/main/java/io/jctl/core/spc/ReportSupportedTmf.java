package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;

/**
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (A3h/0Dh): ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT
 * RESET, QUERY TASK, TARGET RESET; extended (REPD): QUERY ASYNCHRONOUS EVENT, QUERY TASK SET, I_T NEXUS RESET.
 */
public final class ReportSupportedTmf implements CommandHandler {
    static final int REPD = 0x80;
    /** ATS ATSS CTSS LURS QTS TRS. */
    static final int BASIC = 0x80 | 0x40 | 0x10 | 0x08 | 0x04 | 0x02;
    /** QAES QTSS ITNRS. */
    static final int EXTENDED = 0x04 | 0x02 | 0x01;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean repd = (cdb[2] & REPD) != 0;
        byte[] data = new byte[repd ? 16 : 4];
        data[0] = (byte) BASIC;
        data[1] = (byte) EXTENDED;
        if (repd) {
            data[3] = 0x0c; // additional data length
        }
        DataIn.reply(cmd, data, CdbFields.u32(cdb, 6));
    }
}

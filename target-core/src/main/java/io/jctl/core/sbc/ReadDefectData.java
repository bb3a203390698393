package io.jctl.core.sbc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.spc.DataIn;

/**
 * READ DEFECT DATA (10) and (12): there are no defects, so the answer is the header alone with a defect list
 * length of 0, in the format asked for (the REQ_PLIST, REQ_GLIST and DEFECT LIST FORMAT bits are echoed), as
 * CTL does.
 */
public final class ReadDefectData implements CommandHandler {
    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        if ((cdb[0] & 0xff) == 0x37) {
            byte[] header = new byte[4];
            header[1] = (byte) (cdb[2] & 0x1f);
            DataIn.reply(cmd, header, CdbFields.u16(cdb, 7));
        } else {
            byte[] header = new byte[8];
            header[1] = (byte) (cdb[1] & 0x1f); // generation code 0: the list never changes
            DataIn.reply(cmd, header, CdbFields.u32(cdb, 6));
        }
    }
}

package io.jctl.core.spc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.ua.UnitAttention;

/**
 * REQUEST SENSE (03h): returns the highest-priority pending unit attention as its data and clears it, else NO
 * SENSE; for a missing LUN the LOGICAL UNIT NOT SUPPORTED sense, always with GOOD status. DESC selects the
 * descriptor format.
 */
public final class RequestSense implements CommandHandler {
    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean descriptor = (cdb[1] & 0x01) != 0;
        int allocation = cdb[4] & 0xff;
        Lun lun = cmd.lun();
        SenseData sense;
        if (lun == null) {
            sense = SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x25, 0x00);
        } else {
            sense = cmd.target().takeUnitAttention(lun, cmd.nexus())
                    .map(UnitAttention::sense)
                    .orElseGet(() -> SenseData.of(SenseKey.NO_SENSE, 0x00, 0x00));
        }
        byte[] data = sense.encode(descriptor, 0);
        int n = Math.min(allocation, data.length);
        cmd.task().setCommandDataLength(n);
        if (n == 0) {
            cmd.complete();
        } else {
            cmd.complete(cmd.alloc().buffer(n).writeBytes(data, 0, n));
        }
    }
}

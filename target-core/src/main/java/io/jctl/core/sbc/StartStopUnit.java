package io.jctl.core.sbc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.ua.UnitAttention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * START STOP UNIT. START toggles the LUN's stopped state (a stopped LUN answers medium access with NOT READY
 * 04h/02h). LOEJ loads or ejects and is only valid on removable LUNs; loading raises MEDIUM CHANGED for every
 * nexus. A non-zero POWER CONDITION changes nothing. The change is instant, so IMMED needs no special path.
 */
public final class StartStopUnit implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(StartStopUnit.class);

    static final int START = 0x01;
    static final int LOEJ = 0x02;

    @Override
    public void execute(Command cmd) {
        int how = cmd.cdb()[4] & 0xff;
        cmd.task().setCommandDataLength(0);
        if ((how >> 4) != 0) {
            cmd.complete();
            return;
        }
        Lun lun = cmd.lun();
        boolean start = (how & START) != 0;
        if ((how & LOEJ) != 0) {
            if (!lun.removable()) {
                log.debug("{}: LOEJ on a non-removable LUN", cmd.task());
                throw ScsiException.invalidFieldInCdb(4, 1);
            }
            boolean wasStopped = lun.stopped();
            lun.setStopped(!start);
            if (start && wasStopped) {
                cmd.target().raiseUnitAttention(lun, UnitAttention.MEDIUM_CHANGED, null);
            }
            log.info("{}: medium {} by {}", lun, start ? "loaded" : "ejected", cmd.nexus().initiatorPort());
        } else {
            if (lun.stopped() == start) {
                log.info("{}: {} by {}", lun, start ? "started" : "stopped", cmd.nexus().initiatorPort());
            }
            lun.setStopped(!start);
        }
        cmd.complete();
    }
}

package io.jctl.core.sbc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.ua.UnitAttention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * START STOP UNIT. START toggles the LUN's stopped state (a stopped LUN answers medium access with NOT READY
 * 04h/02h). LOEJ loads or ejects and is only valid on removable LUNs: while any nexus prevents medium removal
 * the medium does not move either way (MEDIUM REMOVAL PREVENTED 53h/02h); an ejected LUN answers medium access
 * with NOT READY 3Ah/02h; loading starts the unit and raises MEDIUM CHANGED for every other nexus. A non-zero
 * POWER CONDITION changes nothing. The change is instant, so IMMED needs no special path. START without LOEJ
 * stops the unit as SBC-4 and CTL say (TEST UNIT READY then answers 04h/02h), although libiscsi's NoLoej test
 * expects a removable unit to stay ready.
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
            if (PreventAllowMediumRemoval.state(cmd).prevented()) {
                log.info("{}: {} by {} refused: medium removal is prevented", lun, start ? "load" : "eject",
                        cmd.nexus().initiatorPort());
                throw ScsiException.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x53, 0x02);
            }
            if (start) {
                load(cmd, lun);
            } else {
                eject(cmd, lun);
            }
        } else {
            if (lun.stopped() == start) {
                log.info("{}: {} by {}", lun, start ? "started" : "stopped", cmd.nexus().initiatorPort());
            }
            lun.setStopped(!start);
        }
        cmd.complete();
    }

    private static void load(Command cmd, Lun lun) {
        boolean wasEjected = lun.ejected();
        lun.setEjected(false);
        lun.setStopped(false);
        if (wasEjected) {
            cmd.target().raiseUnitAttention(lun, UnitAttention.MEDIUM_CHANGED, cmd.nexus());
            log.info("{}: medium loaded by {}", lun, cmd.nexus().initiatorPort());
        }
    }

    private static void eject(Command cmd, Lun lun) {
        lun.setStopped(true);
        if (!lun.ejected()) {
            lun.setEjected(true);
            log.info("{}: medium ejected by {}", lun, cmd.nexus().initiatorPort());
        }
    }
}

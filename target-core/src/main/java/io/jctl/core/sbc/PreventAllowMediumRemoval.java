package io.jctl.core.sbc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PREVENT ALLOW MEDIUM REMOVAL (1Eh). Only removable LUNs have it (others answer INVALID COMMAND OPERATION CODE,
 * as CTL). PREVENT bit 0 set records the nexus in the LUN's {@link MediumRemoval}, clear removes it; START STOP
 * UNIT refuses to eject while any nexus is recorded. The MMC persistent-prevent bit (bit 1) has no meaning for a
 * disk and is accepted without effect, as CTL does.
 */
public final class PreventAllowMediumRemoval implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(PreventAllowMediumRemoval.class);

    static final int PREVENT = 0x01;

    @Override
    public void execute(Command cmd) {
        Lun lun = cmd.lun();
        if (!lun.removable()) {
            log.debug("{}: PREVENT ALLOW MEDIUM REMOVAL on a non-removable LUN", cmd.task());
            throw ScsiException.invalidOpcode();
        }
        cmd.task().setCommandDataLength(0);
        boolean prevent = (cmd.cdb()[4] & PREVENT) != 0;
        if (state(cmd).prevent(cmd.nexus(), prevent)) {
            log.info("{}: medium removal {} by {}", lun, prevent ? "prevented" : "allowed",
                    cmd.nexus().initiatorPort());
        }
        cmd.complete();
    }

    /** The LUN's prevent bits, created on first use. */
    static MediumRemoval state(Command cmd) {
        return cmd.context().state(MediumRemoval.class, MediumRemoval::new);
    }
}

package io.jctl.core.pr;

import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.dispatch.AccessCheck;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.task.ScsiTask;

/** The precheck's reservation stage: RESERVATION CONFLICT as the LUN's {@link ReservationState} decides. */
public final class ReservationCheck implements AccessCheck {
    @Override
    public ScsiException check(LunContext lun, OpcodeEntry entry, ScsiTask task) {
        return ReservationState.of(lun).check(entry, task.nexus());
    }
}

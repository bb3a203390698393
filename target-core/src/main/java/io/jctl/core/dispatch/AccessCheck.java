package io.jctl.core.dispatch;

import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.task.ScsiTask;

/**
 * A LUN state check of the precheck (ctl-facts §1.3 step 7) contributed by a feature (ALUA / HA state,
 * reservations). It runs when a command arrives and again when it is unblocked.
 */
@FunctionalInterface
public interface AccessCheck {
    /** Where in the precheck order a check runs. */
    enum Stage {
        /** Port and node state (ALUA unavailable / transitioning / standby): before write protection. */
        PORT_STATE,
        /** Reservation conflicts (SPC-2 and persistent): after write protection, before the medium checks. */
        RESERVATION
    }

    /** The refusal for this command, or null to let it through. */
    ScsiException check(LunContext lun, OpcodeEntry entry, ScsiTask task);
}

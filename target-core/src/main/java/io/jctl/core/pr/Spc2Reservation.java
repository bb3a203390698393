package io.jctl.core.pr;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;

/**
 * RESERVE(6/10) and RELEASE(6/10) (ctl-facts §6.1): logical-unit reservations of one I_T nexus. Third-party and
 * extent reservations are outside the rows' usage masks, so the dispatcher refuses them with INVALID FIELD IN CDB
 * pointing at the bit.
 */
final class Spc2Reservation implements CommandHandler {
    private final boolean reserve;

    Spc2Reservation(boolean reserve) {
        this.reserve = reserve;
    }

    @Override
    public void execute(Command cmd) {
        ReservationState state = PrCommands.state(cmd);
        if (reserve) {
            state.reserve(cmd.nexus());
        } else {
            state.release(cmd.nexus());
        }
        cmd.complete();
    }
}

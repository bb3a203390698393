package io.jctl.core.dispatch;

import io.jctl.core.task.Nexus;

/**
 * State a feature keeps per LUN beside the task set (SPC-2 and persistent reservations, PREVENT ALLOW MEDIUM
 * REMOVAL bits, copy lists), attached with {@link LunContext#state}. Task management tells every attached state
 * what ctl-facts §3.1 says a reset clears; a state that survives resets (persistent reservations) ignores it.
 */
public interface LunState {

    /** LOGICAL UNIT RESET, and each LUN of a target reset. */
    default void lunReset() {
    }

    /** I_T NEXUS RESET, or the nexus was lost (its session ended). */
    default void nexusReset(Nexus nexus) {
    }
}

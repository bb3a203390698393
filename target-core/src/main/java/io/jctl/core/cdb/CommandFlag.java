package io.jctl.core.cdb;

/** Opcode-table flags (ctl-facts §1.1): when a command may run. */
public enum CommandFlag {
    /** Pending UA / sense is not reported before this command (INQUIRY, REPORT LUNS, REQUEST SENSE). */
    NO_SENSE,
    /** Allowed although another nexus holds an SPC-2 reservation. */
    ALLOW_ON_RESV,
    /** Allowed for non-registrants under any persistent reservation. */
    ALLOW_ON_PR_RESV,
    /** Allowed for non-registrants under write-exclusive persistent reservations (read-type commands). */
    ALLOW_ON_PR_WRESV,
    /** May run when the addressed LUN does not exist. */
    OK_ON_NO_LUN,
    /** May run when the LUN is stopped or has no medium. */
    OK_ON_NO_MEDIA,
    /** May run on an ALUA standby port. */
    OK_ON_STANDBY,
    /** May run when the ALUA state is unavailable or transitioning. */
    OK_ON_UNAVAIL,
    /** Executes on the receiving node, never forwarded to an HA peer. */
    RUN_HERE,
    /** Writes the medium: refused on read-only LUNs with DATA PROTECT. */
    WRITES_MEDIUM,
    /**
     * Reads and writes its range as one indivisible operation (COMPARE AND WRITE): while it runs, no command
     * touching an overlapping range starts, not even a HEAD OF QUEUE one.
     */
    ATOMIC
}

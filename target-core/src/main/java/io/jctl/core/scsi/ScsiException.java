package io.jctl.core.scsi;

/**
 * A command ends with a status other than GOOD. Handlers throw it (or complete a future with it); the dispatcher
 * turns it into the task's status and sense. Stack traces are not collected: these are answers, not bugs.
 */
public final class ScsiException extends RuntimeException {
    private final ScsiStatus status;
    private final SenseData sense;

    public ScsiException(ScsiStatus status, SenseData sense) {
        super(sense == null ? status.name() : status.name() + " " + sense, null, false, false);
        this.status = status;
        this.sense = sense;
    }

    public static ScsiException checkCondition(SenseData sense) {
        return new ScsiException(ScsiStatus.CHECK_CONDITION, sense);
    }

    public static ScsiException checkCondition(int key, int asc, int ascq) {
        return checkCondition(SenseData.of(key, asc, ascq));
    }

    public static ScsiException status(ScsiStatus status) {
        return new ScsiException(status, null);
    }

    /** ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE (20h/00h). */
    public static ScsiException invalidOpcode() {
        return checkCondition(SenseKey.ILLEGAL_REQUEST, 0x20, 0x00);
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN CDB (24h/00h) pointing at a byte and bit (bit -1: whole byte). */
    public static ScsiException invalidFieldInCdb(int byteIndex, int bit) {
        return checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00)
                .withFieldPointer(true, byteIndex, bit));
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST (26h/00h) pointing at a byte and bit. */
    public static ScsiException invalidFieldInParameterList(int byteIndex, int bit) {
        return checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x26, 0x00)
                .withFieldPointer(false, byteIndex, bit));
    }

    /** ILLEGAL REQUEST / PARAMETER LIST LENGTH ERROR (1Ah/00h). */
    public static ScsiException parameterListLengthError() {
        return checkCondition(SenseKey.ILLEGAL_REQUEST, 0x1a, 0x00);
    }

    /** ILLEGAL REQUEST / LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h), INFORMATION = the first bad LBA. */
    public static ScsiException lbaOutOfRange(long lba) {
        return checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x21, 0x00).withInformation(lba));
    }

    /** ILLEGAL REQUEST / LOGICAL UNIT NOT SUPPORTED (25h/00h). */
    public static ScsiException lunNotSupported() {
        return checkCondition(SenseKey.ILLEGAL_REQUEST, 0x25, 0x00);
    }

    /** HARDWARE ERROR / INTERNAL TARGET FAILURE (44h/00h). */
    public static ScsiException internalTargetFailure() {
        return checkCondition(SenseKey.HARDWARE_ERROR, 0x44, 0x00);
    }

    public ScsiStatus status() {
        return status;
    }

    /** Null unless the status is CHECK CONDITION. */
    public SenseData sense() {
        return sense;
    }
}

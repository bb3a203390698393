package io.jctl.core.backend;

import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseKey;

/**
 * An I/O operation failed in the backend. The kind decides the SCSI answer, as CTL maps errno values
 * (ENOSPC, EROFS, EIO ...) to sense.
 */
public class BackendIoException extends Exception {
    public enum Kind {
        /** Out of space (thin provisioning, file system full): DATA PROTECT / SPACE ALLOCATION FAILED 27h/07h. */
        NO_SPACE,
        /** Storage is read-only: DATA PROTECT / WRITE PROTECTED 27h/01h. */
        READ_ONLY,
        /** The backing store cannot do this operation: ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE. */
        UNSUPPORTED,
        /** The medium failed: MEDIUM ERROR 11h/00h on reads, 0Ch/02h on writes. */
        MEDIUM_ERROR,
        /** The backing store is not open (no medium right now): BUSY, so the initiator retries. */
        NO_MEDIA,
        /** Anything else: HARDWARE ERROR / INTERNAL TARGET FAILURE 44h/00h. */
        INTERNAL
    }

    private final Kind kind;

    public BackendIoException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public BackendIoException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * The guard every backend applies before an I/O: the range must lie inside the LUN and fit one buffer.
     * The core checks ranges first, so a failure here is an internal error, never an initiator's mistake.
     *
     * @return the exception to fail the I/O with, or null when the range is fine
     */
    public static BackendIoException outsideLun(long lba, long blocks, long bytes, long blockCount) {
        if (lba < 0 || blocks < 0 || lba + blocks > blockCount || bytes > Integer.MAX_VALUE) {
            return new BackendIoException(Kind.INTERNAL, "I/O of " + blocks + " blocks at LBA " + lba
                    + " is outside the LUN (" + blockCount + " blocks) or too large");
        }
        return null;
    }

    public Kind kind() {
        return kind;
    }

    /** The SCSI answer for this failure; {@code write} selects the write flavour of medium errors. */
    public ScsiException toScsi(boolean write) {
        return switch (kind) {
            case NO_SPACE -> ScsiException.checkCondition(SenseKey.DATA_PROTECT, 0x27, 0x07);
            case READ_ONLY -> ScsiException.checkCondition(SenseKey.DATA_PROTECT, 0x27, 0x01);
            case UNSUPPORTED -> ScsiException.invalidOpcode();
            case MEDIUM_ERROR -> write
                    ? ScsiException.checkCondition(SenseKey.MEDIUM_ERROR, 0x0c, 0x02)
                    : ScsiException.checkCondition(SenseKey.MEDIUM_ERROR, 0x11, 0x00);
            case NO_MEDIA -> ScsiException.status(ScsiStatus.BUSY);
            case INTERNAL -> ScsiException.internalTargetFailure();
        };
    }
}

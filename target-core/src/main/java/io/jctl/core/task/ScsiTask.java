package io.jctl.core.task;

import io.jctl.core.scsi.ScsiStatus;

/**
 * A SCSI command as a frontend hands it to the core: who sent it, to which LUN, with which tag and attribute,
 * the CDB, and how much data the initiator expects to move. The core fills in the outcome (status, sense,
 * the data length the command itself wanted) before it calls {@link TaskTransport#complete}.
 */
public final class ScsiTask {
    private final Nexus nexus;
    private final long lun;
    private final long tag;
    private final TaskAttribute attribute;
    private final byte[] cdb;
    private final int expectedLength;
    private final DataDirection expectedDirection;
    private final TaskTransport transport;

    private volatile ScsiStatus status = ScsiStatus.GOOD;
    private volatile byte[] sense;
    private volatile long commandDataLength = -1;
    private volatile Object frontendState;

    /**
     * @param lun               the 8-byte SAM LUN field as it arrived (the core decodes the addressing method)
     * @param tag               task tag, unique among the nexus's outstanding tasks (iSCSI ITT)
     * @param cdb               the CDB; the core reads only as many bytes as the opcode's CDB length
     * @param expectedLength    the initiator's expected data transfer length in bytes
     * @param expectedDirection direction the initiator announced (iSCSI R/W bits)
     */
    public ScsiTask(Nexus nexus, long lun, long tag, TaskAttribute attribute, byte[] cdb, int expectedLength,
                    DataDirection expectedDirection, TaskTransport transport) {
        this.nexus = nexus;
        this.lun = lun;
        this.tag = tag;
        this.attribute = attribute;
        this.cdb = cdb;
        this.expectedLength = expectedLength;
        this.expectedDirection = expectedDirection;
        this.transport = transport;
    }

    public Nexus nexus() {
        return nexus;
    }

    public long lun() {
        return lun;
    }

    public long tag() {
        return tag;
    }

    public TaskAttribute attribute() {
        return attribute;
    }

    public byte[] cdb() {
        return cdb;
    }

    public int opcode() {
        return cdb[0] & 0xff;
    }

    public int expectedLength() {
        return expectedLength;
    }

    public DataDirection expectedDirection() {
        return expectedDirection;
    }

    public TaskTransport transport() {
        return transport;
    }

    public ScsiStatus status() {
        return status;
    }

    /** Encoded sense (fixed or descriptor, as the LUN is set up), or null. */
    public byte[] sense() {
        return sense;
    }

    public void setResult(ScsiStatus status, byte[] sense) {
        this.status = status;
        this.sense = sense;
    }

    /**
     * Bytes the command itself would move (from its CDB: blocks × block size, allocation length ...), or -1 if
     * not known. The transport compares it with {@link #expectedLength()} to report over- or underflow.
     */
    public long commandDataLength() {
        return commandDataLength;
    }

    public void setCommandDataLength(long length) {
        this.commandDataLength = length;
    }

    /** A slot the frontend may use to find its own per-task state; the core never reads it. */
    public Object frontendState() {
        return frontendState;
    }

    public void setFrontendState(Object state) {
        this.frontendState = state;
    }

    @Override
    public String toString() {
        return String.format("task tag=0x%x op=0x%02x lun=%d %s", tag, opcode(), lun, nexus.initiatorPort());
    }
}

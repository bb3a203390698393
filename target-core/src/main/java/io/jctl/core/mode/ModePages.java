package io.jctl.core.mode;

/**
 * A LUN's mode parameters. The command-set code (MODE SENSE / MODE SELECT) owns the page layouts; the engine
 * reads the few settings that steer ordering, sense format and write handling through the accessors below.
 */
public final class ModePages {
    private volatile boolean descriptorSense;
    private volatile boolean unrestrictedReordering;
    private volatile boolean taskAbortedStatus = true;
    private volatile boolean softwareWriteProtect;
    private volatile int maxSenseLength;
    private volatile boolean writeCacheEnabled = true;
    private volatile boolean readCacheDisabled;

    /** Control page D_SENSE: sense in descriptor format. */
    public boolean descriptorSense() {
        return descriptorSense;
    }

    /** Control page QAM = 0 (unrestricted reordering): optional blocks pass. */
    public boolean unrestrictedReordering() {
        return unrestrictedReordering;
    }

    /** Control page TAS: tasks aborted by another nexus end with TASK ABORTED. */
    public boolean taskAbortedStatus() {
        return taskAbortedStatus;
    }

    /** Control page SWP: the medium is write protected. */
    public boolean softwareWriteProtect() {
        return softwareWriteProtect;
    }

    /** Control extension page: maximum sense data length, 0 = no limit beyond 252. */
    public int maxSenseLength() {
        return maxSenseLength;
    }

    /** Caching page WCE; when clear every write is forced to stable storage. */
    public boolean writeCacheEnabled() {
        return writeCacheEnabled;
    }

    /** Caching page RCD. */
    public boolean readCacheDisabled() {
        return readCacheDisabled;
    }
}

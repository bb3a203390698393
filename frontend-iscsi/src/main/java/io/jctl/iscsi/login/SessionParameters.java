package io.jctl.iscsi.login;

import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.TargetPortal;

/**
 * What login settled: who logged in to what, and the operational values in force. Filled in during login on the
 * connection's event loop, read-only afterwards.
 */
public final class SessionParameters {
    /** RFC 7143 defaults until negotiated otherwise. */
    boolean discovery;
    String initiatorName;
    String initiatorAlias;
    long isid;
    int tsih;
    int cid;
    IscsiTarget target;
    TargetPortal portal;
    String headerDigest = "None";
    String dataDigest = "None";
    int maxRecvDataSegmentLength;
    int maxSendDataSegmentLength = 8192;
    int maxBurstLength = 262144;
    int firstBurstLength = 65536;
    boolean immediateData = true;
    boolean initialR2T = true;
    int maxOutstandingR2T = 1;
    int defaultTime2Wait = 2;
    int defaultTime2Retain = 0;

    public boolean discovery() {
        return discovery;
    }

    public String initiatorName() {
        return initiatorName;
    }

    public String initiatorAlias() {
        return initiatorAlias;
    }

    /** The 48-bit ISID. */
    public long isid() {
        return isid;
    }

    /** The ISID as 12 hex digits, as it appears in the SCSI initiator port name. */
    public String isidHex() {
        return String.format("%012x", isid);
    }

    /** SCSI initiator port name: {@code <name>,i,0x<isid>} (RFC 7143 §4.4.1, as CTL writes it). */
    public String initiatorPort() {
        return initiatorName + ",i,0x" + isidHex();
    }

    public int tsih() {
        return tsih;
    }

    /** The connection ID the initiator chose at login. */
    public int cid() {
        return cid;
    }

    /** Null for discovery sessions. */
    public IscsiTarget target() {
        return target;
    }

    /** Null for discovery sessions. */
    public TargetPortal portal() {
        return portal;
    }

    public String headerDigest() {
        return headerDigest;
    }

    public String dataDigest() {
        return dataDigest;
    }

    public boolean headerDigestEnabled() {
        return "CRC32C".equals(headerDigest);
    }

    public boolean dataDigestEnabled() {
        return "CRC32C".equals(dataDigest);
    }

    /** Largest data segment this target accepts. */
    public int maxRecvDataSegmentLength() {
        return maxRecvDataSegmentLength;
    }

    /** Largest data segment this target may send (the initiator's MaxRecvDataSegmentLength). */
    public int maxSendDataSegmentLength() {
        return maxSendDataSegmentLength;
    }

    public int maxBurstLength() {
        return maxBurstLength;
    }

    public int firstBurstLength() {
        return firstBurstLength;
    }

    public boolean immediateData() {
        return immediateData;
    }

    public boolean initialR2T() {
        return initialR2T;
    }

    public int maxOutstandingR2T() {
        return maxOutstandingR2T;
    }

    public int defaultTime2Wait() {
        return defaultTime2Wait;
    }

    public int defaultTime2Retain() {
        return defaultTime2Retain;
    }
}

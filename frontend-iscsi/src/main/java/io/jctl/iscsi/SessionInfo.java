package io.jctl.iscsi;

/** A logged-in session as {@code ctladm islist} shows it. */
public record SessionInfo(long id, String initiatorName, String initiatorAlias, String initiatorAddress, String isid,
                          int tsih, String targetName, String targetAlias, int portalGroupTag, String headerDigest,
                          String dataDigest, int maxRecvDataSegmentLength, int maxSendDataSegmentLength,
                          int maxBurstLength, int firstBurstLength, boolean immediateData, boolean initialR2T) {
}

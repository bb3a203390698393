package io.jctl.control.message;

/**
 * One iSCSI session as {@code ctladm islist} shows it, with everything login negotiated.
 *
 * @param id                       connection id (what {@code islogout -c} and {@code isterminate -c} take)
 * @param initiatorName            InitiatorName
 * @param initiatorAlias           InitiatorAlias, or null
 * @param initiatorAddress         initiator's address (the "Portal" column)
 * @param isid                     ISID as 12 hex digits
 * @param tsih                     target session identifying handle
 * @param targetName               TargetName, or null for a discovery session
 * @param targetAlias              TargetAlias, or null
 * @param portalGroupTag           target portal group tag
 * @param headerDigest             {@code CRC32C} or {@code None}
 * @param dataDigest               {@code CRC32C} or {@code None}
 * @param maxRecvDataSegmentLength what the target accepts per PDU
 * @param maxSendDataSegmentLength what the initiator accepts per PDU
 * @param maxBurstLength           MaxBurstLength
 * @param firstBurstLength         FirstBurstLength
 * @param immediateData            ImmediateData
 * @param initialR2T               InitialR2T
 */
public record SessionEntry(long id, String initiatorName, String initiatorAlias, String initiatorAddress,
                           String isid, int tsih, String targetName, String targetAlias, int portalGroupTag,
                           String headerDigest, String dataDigest, int maxRecvDataSegmentLength,
                           int maxSendDataSegmentLength, int maxBurstLength, int firstBurstLength,
                           boolean immediateData, boolean initialR2T) {
}

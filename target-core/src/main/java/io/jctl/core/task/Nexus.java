package io.jctl.core.task;

/**
 * An I_T nexus: one initiator port talking to one target port. For iSCSI the initiator port is the initiator
 * name plus ISID ({@code iqn...,i,0x<isid>}), so two sessions of one initiator are two nexuses.
 *
 * @param initiatorName the initiator's name (iSCSI InitiatorName), for display and access control
 * @param initiatorPort the transport ID of the initiator port; unique per session
 * @param portId        relative target port ID of the port the nexus goes through
 */
public record Nexus(String initiatorName, String initiatorPort, int portId) {
}

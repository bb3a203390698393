package io.jctl.control.message;

import java.util.List;
import java.util.Map;

/**
 * One target port as {@code ctladm portlist} shows it.
 *
 * @param id             port number
 * @param online         whether the port accepts commands
 * @param frontend       frontend type ({@code iscsi})
 * @param name           port name ({@code <target>,t,0x<tag>} for iSCSI)
 * @param physicalPort   physical port number (the portal group tag for iSCSI, as CTL reports it)
 * @param virtualPort    virtual port number
 * @param targetName     the target the port belongs to
 * @param lunMap         port LUN to core LUN; null when the map is off and every LUN is visible 1:1
 * @param initiators     initiator ports logged in through this port
 * @param options        port options
 */
public record PortInfo(int id, boolean online, String frontend, String name, int physicalPort, int virtualPort,
                       String targetName, Map<Integer, Integer> lunMap, List<String> initiators,
                       Map<String, String> options) {
    public PortInfo {
        lunMap = lunMap == null ? null : LunInfo.sorted(lunMap);
        initiators = initiators == null ? List.of() : List.copyOf(initiators);
        options = LunInfo.sorted(options);
    }
}

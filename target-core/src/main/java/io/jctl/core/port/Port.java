package io.jctl.core.port;

import io.jctl.core.task.Nexus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A target port: one frontend endpoint through which initiators reach LUNs. For iSCSI it is one
 * (target, portal group tag) pair, named {@code <target-iqn>,t,0x<tag>}.
 */
public final class Port {
    private final int id;
    private final String frontend;
    private final String targetName;
    private final int portalGroupTag;
    private final Map<String, String> options;
    private final List<Nexus> nexuses = new CopyOnWriteArrayList<>();
    private volatile boolean online = true;
    /** Port LUN number to core LUN id; null when the map is off (every LUN visible under its own number). */
    private volatile SortedMap<Integer, Integer> lunMap;

    Port(int id, String frontend, String targetName, int portalGroupTag, Map<String, String> options) {
        this.id = id;
        this.frontend = frontend;
        this.targetName = targetName;
        this.portalGroupTag = portalGroupTag;
        this.options = Map.copyOf(options);
    }

    /** Relative target port identifier (1-based, as VPD 83h reports it). */
    public int id() {
        return id;
    }

    /** Frontend type: {@code iscsi}, {@code fc} ... */
    public String frontend() {
        return frontend;
    }

    /** Target name (iSCSI target IQN). */
    public String targetName() {
        return targetName;
    }

    public int portalGroupTag() {
        return portalGroupTag;
    }

    /** SCSI name of the port, for VPD 83h and portlist: {@code <target>,t,0x<tag>}. */
    public String portName() {
        return String.format("%s,t,0x%04x", targetName, portalGroupTag);
    }

    public Map<String, String> options() {
        return options;
    }

    public boolean online() {
        return online;
    }

    public void setOnline(boolean online) {
        this.online = online;
    }

    public Optional<SortedMap<Integer, Integer>> lunMap() {
        return Optional.ofNullable(lunMap);
    }

    /** Turns the LUN map on with these entries (port LUN to core LUN), or off with null. */
    public void setLunMap(Map<Integer, Integer> map) {
        this.lunMap = map == null ? null : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** Nexuses currently logged in through this port. */
    public List<Nexus> nexuses() {
        return List.copyOf(nexuses);
    }

    public void nexusLogin(Nexus nexus) {
        nexuses.add(nexus);
    }

    public void nexusLogout(Nexus nexus) {
        nexuses.remove(nexus);
    }

    @Override
    public String toString() {
        return "port " + id + " " + portName();
    }
}

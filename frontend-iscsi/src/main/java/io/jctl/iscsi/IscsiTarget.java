package io.jctl.iscsi;

import java.util.List;

/** An iSCSI target: name, optional alias, who may log in, and where it is reachable. */
public record IscsiTarget(String name, String alias, AuthGroup auth, List<TargetPortal> portals) {
    public IscsiTarget {
        portals = List.copyOf(portals);
    }
}

package io.jctl.iscsi;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Listening addresses that share a target portal group tag, as ctld's {@code portal-group}.
 *
 * @param discoveryAuth who may run SendTargets discovery through this group
 */
public record PortalGroup(String name, int tag, List<InetSocketAddress> listen, AuthGroup discoveryAuth) {
    public PortalGroup {
        if (tag < 1 || tag > 0xffff) {
            throw new IllegalArgumentException("portal group tag must be 1..65535, got " + tag);
        }
        listen = List.copyOf(listen);
    }
}

package io.jctl.iscsi;

import io.jctl.core.port.Port;

/** A target reachable through a portal group, and the core port (target, tag) its sessions use. */
public record TargetPortal(PortalGroup group, Port port) {
}

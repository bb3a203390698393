package io.jctl.iscsi.login;

import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;

import java.net.InetSocketAddress;
import java.util.List;

/** What a login needs to know about the connection and the configuration. */
public interface LoginEnvironment {
    /** The targets currently configured. */
    List<IscsiTarget> targets();

    /** The portal group whose listen address accepted this connection. */
    PortalGroup portalGroup();

    /** Where the initiator connected from. */
    InetSocketAddress remoteAddress();

    /** A fresh nonzero target session identifying handle. */
    int allocateTsih();
}

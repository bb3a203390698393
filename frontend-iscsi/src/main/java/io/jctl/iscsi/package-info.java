/**
 * The iSCSI frontend (RFC 7143) on Netty, modelled on FreeBSD's ctld login and the kernel's cfiscsi full feature
 * phase.
 *
 * <p>Wiring, as the daemon does it: create one core {@link io.jctl.core.port.Port} per (target, portal group tag),
 * describe targets with {@link io.jctl.iscsi.IscsiTarget} / {@link io.jctl.iscsi.TargetPortal}, hand them to
 * {@link io.jctl.iscsi.IscsiFrontend#setTargets} (again whenever the configuration changes), then
 * {@link io.jctl.iscsi.IscsiFrontend#listen} once per portal group. Sessions register their nexus with the port
 * at login and report {@code nexusLost} to the core when they end. {@link io.jctl.iscsi.IscsiFrontend#close} asks
 * every initiator to log out before it drops what is left.
 *
 * <p>Packages: {@code pdu} frames and encodes PDUs, {@code login} runs the login phase (negotiation, CHAP, access
 * checks), {@code discovery} answers SendTargets, {@code session} is the connection and its full feature phase.
 */
package io.jctl.iscsi;

package io.jctl.iscsi.discovery;

import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;
import io.jctl.iscsi.TargetPortal;
import io.jctl.iscsi.login.AccessControl;
import io.jctl.iscsi.login.LoginFailure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Answers {@code SendTargets} (RFC 7143 §12.3, Appendix C) the way ctld does: the targets reachable through the
 * portal group the question came in on, each with one {@code TargetAddress} per non-wildcard listen address of every
 * portal group it is attached to. Targets the initiator may not log in to are left out.
 */
public final class SendTargets {
    private SendTargets() {
    }

    /**
     * @param value       {@code All}, a target name, or empty (the session's target, only meaningful in a normal
     *                    session; {@code sessionTarget} then names it)
     * @param via         the portal group of the asking connection
     * @param listening   the addresses a portal group really listens on (ports chosen at bind time included)
     */
    public static List<Map.Entry<String, String>> answer(String value, List<IscsiTarget> targets, PortalGroup via,
                                                         String initiatorName, InetAddress initiatorAddress,
                                                         String sessionTarget,
                                                         Function<PortalGroup, List<InetSocketAddress>> listening) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (IscsiTarget target : targets) {
            boolean wanted = switch (value) {
                case "All" -> true;
                case "" -> sessionTarget != null && target.name().equalsIgnoreCase(sessionTarget);
                default -> target.name().equalsIgnoreCase(value);
            };
            if (!wanted || !reachable(target, via) || !allowed(target, initiatorName, initiatorAddress)) {
                continue;
            }
            out.add(Map.entry("TargetName", target.name()));
            for (TargetPortal portal : target.portals()) {
                for (InetSocketAddress listen : listening.apply(portal.group())) {
                    if (listen.getAddress() == null || listen.getAddress().isAnyLocalAddress()) {
                        continue;
                    }
                    out.add(Map.entry("TargetAddress", address(listen) + "," + portal.group().tag()));
                }
            }
        }
        return out;
    }

    private static boolean reachable(IscsiTarget target, PortalGroup via) {
        return target.portals().stream().anyMatch(p -> p.group().name().equals(via.name()));
    }

    private static boolean allowed(IscsiTarget target, String initiatorName, InetAddress address) {
        if (target.auth() == null) {
            return false;
        }
        try {
            AccessControl.check(target.auth(), initiatorName, address);
            return true;
        } catch (LoginFailure e) {
            return false;
        }
    }

    /** {@code addr:port}, IPv6 in brackets. */
    static String address(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + a.getPort();
    }
}

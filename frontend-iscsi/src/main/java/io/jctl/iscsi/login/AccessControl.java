package io.jctl.iscsi.login;

import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.AuthType;
import io.netty.util.NetUtil;

import java.net.InetAddress;

/** The auth-group checks ctld makes before authentication: deny, initiator name, initiator portal. */
public final class AccessControl {
    private AccessControl() {
    }

    public static void check(AuthGroup group, String initiatorName, InetAddress initiatorAddress) throws LoginFailure {
        if (group.type() == AuthType.DENY) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "auth-group " + group.name() + " denies access");
        }
        if ((group.type() == AuthType.CHAP || group.type() == AuthType.CHAP_MUTUAL) && group.credentials().isEmpty()) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                    "auth-group " + group.name() + " requires CHAP but has no credentials");
        }
        if (!group.initiatorNames().isEmpty()
                && group.initiatorNames().stream().noneMatch(n -> n.equalsIgnoreCase(initiatorName))) {
            throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE,
                    "initiator " + initiatorName + " not allowed by auth-group " + group.name());
        }
        if (!group.initiatorPortals().isEmpty()
                && group.initiatorPortals().stream().noneMatch(p -> portalMatches(p, initiatorAddress))) {
            throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE,
                    "initiator address " + initiatorAddress.getHostAddress() + " not allowed by auth-group "
                            + group.name());
        }
    }

    /** Does {@code address} fall within {@code portal} ({@code addr} or {@code addr/prefix}, IPv6 in brackets or not)? */
    public static boolean portalMatches(String portal, InetAddress address) {
        String spec = portal.trim();
        int prefix = -1;
        int slash = spec.indexOf('/');
        try {
            if (slash >= 0) {
                prefix = Integer.parseInt(spec.substring(slash + 1));
                spec = spec.substring(0, slash);
            }
            if (spec.startsWith("[") && spec.endsWith("]")) {
                spec = spec.substring(1, spec.length() - 1);
            }
            byte[] net = NetUtil.createByteArrayFromIpAddressString(spec);
            if (net == null) {
                return false;
            }
            byte[] addr = address.getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = prefix < 0 ? net.length * 8 : Math.min(prefix, net.length * 8);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i & 7);
                if ((net[i >>> 3] & mask) != (addr[i >>> 3] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

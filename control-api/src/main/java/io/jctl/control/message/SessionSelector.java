package io.jctl.control.message;

/**
 * Which sessions {@code islogout} / {@code isterminate} act on: exactly one of the fields is set.
 *
 * @param all              every session ({@code -a})
 * @param connectionId     the session with this connection id ({@code -c})
 * @param initiatorName    sessions of this initiator name ({@code -i})
 * @param initiatorAddress sessions from this initiator address, with or without port ({@code -p})
 */
public record SessionSelector(boolean all, Long connectionId, String initiatorName, String initiatorAddress) {

    public static SessionSelector everySession() {
        return new SessionSelector(true, null, null, null);
    }

    /** Number of criteria given; a valid selector has exactly one. */
    public int criteriaCount() {
        int n = all ? 1 : 0;
        if (connectionId != null) {
            n++;
        }
        if (initiatorName != null) {
            n++;
        }
        if (initiatorAddress != null) {
            n++;
        }
        return n;
    }

    /** True when a session with these identities is selected. */
    public boolean matches(long id, String name, String address) {
        if (all) {
            return true;
        }
        if (connectionId != null) {
            return connectionId == id;
        }
        if (initiatorName != null) {
            return initiatorName.equals(name);
        }
        if (initiatorAddress != null && address != null) {
            return address.equals(initiatorAddress) || hostOf(address).equals(hostOf(initiatorAddress));
        }
        return false;
    }

    /** Host part of {@code host:port}, {@code [v6]:port}, {@code [v6]} or a bare host. */
    static String hostOf(String address) {
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            return close > 0 ? address.substring(1, close) : address;
        }
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            return address.substring(0, colon);
        }
        return address;
    }
}

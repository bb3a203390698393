package io.jctl.iscsi;

import java.util.List;

/**
 * Who may log in, as ctld's {@code auth-group}.
 *
 * @param initiatorNames    allowed initiator names (case-insensitive); empty means any
 * @param initiatorPortals  allowed initiator addresses, {@code addr} or {@code addr/prefix}; empty means any
 */
public record AuthGroup(String name, AuthType type, List<ChapCredential> credentials, List<String> initiatorNames,
                        List<String> initiatorPortals) {
    public AuthGroup {
        credentials = List.copyOf(credentials);
        initiatorNames = List.copyOf(initiatorNames);
        initiatorPortals = List.copyOf(initiatorPortals);
    }

    /** ctld's built-in {@code no-authentication} group. */
    public static AuthGroup noAuthentication() {
        return new AuthGroup("no-authentication", AuthType.NONE, List.of(), List.of(), List.of());
    }

    /** ctld's built-in {@code no-access} group. */
    public static AuthGroup noAccess() {
        return new AuthGroup("no-access", AuthType.DENY, List.of(), List.of(), List.of());
    }
}

package io.jctl.control.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerPolicyTest {
    final UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();

    @Test
    void onlyTheDaemonsUserAndRootMayConnect() throws IOException {
        UserPrincipal root = users.lookupPrincipalByName("root");
        UserPrincipal nobody = users.lookupPrincipalByName("nobody");
        UserPrincipal daemon = users.lookupPrincipalByName("daemon");
        assertEquals(Optional.empty(), ControlServer.refusal(root, root, root));
        assertEquals(Optional.empty(), ControlServer.refusal(root, daemon, root));
        assertEquals(Optional.empty(), ControlServer.refusal(daemon, daemon, root));
        assertEquals(Optional.of("user nobody is not root"), ControlServer.refusal(nobody, root, root));
        assertEquals(Optional.of("user nobody is not daemon or root"), ControlServer.refusal(nobody, daemon, root));
    }
}

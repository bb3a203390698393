package io.jctl.control;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ControlPathsTest {
    @Test
    void environmentVariableWinsForEveryone() {
        assertEquals(Path.of("/srv/c.sock"),
                ControlPaths.defaultSocket(Map.of("JCTL_CONTROL_SOCKET", "/srv/c.sock"), true, "root"));
        assertEquals(Path.of("/srv/c.sock"), ControlPaths.defaultSocket(
                Map.of("JCTL_CONTROL_SOCKET", "/srv/c.sock", "XDG_RUNTIME_DIR", "/run/user/1000"), false, "ann"));
    }

    @Test
    void rootUsesRun() {
        assertEquals(Path.of("/run/jctl/ctld.sock"),
                ControlPaths.defaultSocket(Map.of("XDG_RUNTIME_DIR", "/run/user/0"), true, "root"));
    }

    @Test
    void usersUseTheirRuntimeDirectoryOrTmp() {
        assertEquals(Path.of("/run/user/1000/jctl/ctld.sock"),
                ControlPaths.defaultSocket(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), false, "ann"));
        assertEquals(Path.of("/tmp/jctl-ann/ctld.sock"),
                ControlPaths.defaultSocket(Map.of("JCTL_CONTROL_SOCKET", ""), false, "ann"));
    }
}

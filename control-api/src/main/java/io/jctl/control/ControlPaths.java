package io.jctl.control;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the control socket lives when nobody says otherwise. The daemon and both CLIs use this one rule:
 * <ol>
 *   <li>{@code $JCTL_CONTROL_SOCKET} if set and not empty;</li>
 *   <li>for root: {@code /run/jctl/ctld.sock};</li>
 *   <li>for other users: {@code $XDG_RUNTIME_DIR/jctl/ctld.sock} if {@code XDG_RUNTIME_DIR} is set, else
 *       {@code /tmp/jctl-<user>/ctld.sock}.</li>
 * </ol>
 * The daemon's {@code --control-socket} and the CLIs' {@code --socket} override it.
 */
public final class ControlPaths {
    public static final String SOCKET_ENV = "JCTL_CONTROL_SOCKET";
    public static final String SOCKET_FILE = "ctld.sock";

    private ControlPaths() {
    }

    public static Path defaultSocket() {
        return defaultSocket(System.getenv(), UnixUser.isRoot(), UnixUser.name());
    }

    static Path defaultSocket(Map<String, String> env, boolean root, String user) {
        String explicit = env.get(SOCKET_ENV);
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        if (root) {
            return Path.of("/run/jctl", SOCKET_FILE);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            return Path.of(runtime, "jctl", SOCKET_FILE);
        }
        return Path.of("/tmp", "jctl-" + user, SOCKET_FILE);
    }
}

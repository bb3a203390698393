package io.jctl.control;

import java.nio.file.Path;

/** The daemon could not be reached or stopped answering: {@code cannot reach ctld at <path>: <reason>}. */
public class ControlUnavailableException extends ControlException {
    public ControlUnavailableException(Path socket, String reason, Throwable cause) {
        super("cannot reach ctld at " + socket + ": " + reason, cause);
    }
}

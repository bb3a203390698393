package io.jctl.core.backend;

/** A LUN cannot be created or changed as asked; the message is a one-line reason for the administrator. */
public class BackendConfigException extends Exception {
    public BackendConfigException(String message) {
        super(message);
    }

    public BackendConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jctl.control;

/** A control request failed; the message is the one-line reason shown to the administrator. */
public class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}

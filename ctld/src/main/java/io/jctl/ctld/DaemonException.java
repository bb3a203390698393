package io.jctl.ctld;

/** The daemon cannot start or run for a reason outside its configuration; the message is one line. */
public final class DaemonException extends Exception {
    public DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}

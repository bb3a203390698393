package io.jctl.iscsi.login;

/** Login cannot go on: the target answers with {@link #status()} and closes the connection. */
public final class LoginFailure extends Exception {
    private final int status;

    public LoginFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    /** Status-Class in the high byte, Status-Detail in the low byte. */
    public int status() {
        return status;
    }
}

package io.jctl.core.lun;

/** A LUN request that cannot be carried out; the message is a one-line reason. Nothing was changed. */
public class LunConfigException extends Exception {
    public LunConfigException(String message) {
        super(message);
    }

    public LunConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jctl.core.task;

/** Direction of a command's data, seen from the initiator. */
public enum DataDirection {
    NONE,
    /** Target to initiator (Data-In): reads. */
    IN,
    /** Initiator to target (Data-Out): writes. */
    OUT
}

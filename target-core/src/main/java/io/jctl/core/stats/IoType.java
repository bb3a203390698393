package io.jctl.core.stats;

import io.jctl.core.task.DataDirection;

/** CTL's statistics buckets: commands without data, reads (Data-In) and writes (Data-Out). */
public enum IoType {
    NO_IO, READ, WRITE;

    /** The bucket of a command, chosen by its data direction as CTL does. */
    public static IoType of(DataDirection direction) {
        return switch (direction) {
            case NONE -> NO_IO;
            case IN -> READ;
            case OUT -> WRITE;
        };
    }
}

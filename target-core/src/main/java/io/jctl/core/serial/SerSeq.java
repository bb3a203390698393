package io.jctl.core.serial;

import java.util.Locale;

/** The {@code serseq} LUN option: how sequential I/O is serialized (ctl-facts §2.4, §7.1). */
public enum SerSeq {
    /** Reads reorder freely. */
    OFF,
    /** A read that starts where an older read ends waits for it. */
    READ,
    /** Like READ, but only until the older read has been issued to storage. */
    SOFT,
    /** Fully serialized: adjacency also counts as overlap for reads and writes. */
    ON;

    /** Parses an option value; null means the default (off). */
    public static SerSeq parse(String value) {
        if (value == null) {
            return OFF;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "off" -> OFF;
            case "read" -> READ;
            case "soft" -> SOFT;
            case "on" -> ON;
            default -> throw new IllegalArgumentException(
                    "serseq must be on, soft, read or off, not '" + value + "'");
        };
    }
}

package io.jctl.core.backend;

import java.util.Locale;

/**
 * Parses sizes and counts as CTL does ({@code ctl_expand_number}): a decimal or {@code 0x} hexadecimal number with an
 * optional suffix {@code b} (bytes), {@code k}, {@code m}, {@code g}, {@code t}, {@code p} or {@code e} (powers of
 * 1024), case-insensitive: {@code 4k} = 4096, {@code 1G} = 1073741824.
 */
public final class SizeParser {
    private static final String UNITS = "bkmgtpe";

    private SizeParser() {
    }

    /**
     * Returns the value of {@code text}.
     *
     * @throws IllegalArgumentException with a one-line reason when the text is not a number with a known suffix or
     *                                  the value does not fit in a signed 64-bit integer
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty number");
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        int shift = 0;
        int unit = UNITS.indexOf(s.charAt(s.length() - 1));
        if (unit >= 0 && !(s.startsWith("0x") && unit == 0)) {
            // "b" is a hex digit, so "0x1b" is 27, not 1 byte
            shift = 10 * unit;
            s = s.substring(0, s.length() - 1);
        }
        int radix = 10;
        if (s.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        }
        if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long value;
        try {
            value = Long.parseLong(s, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        if (shift > 0 && value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        return value << shift;
    }
}

package io.jctl.core.lun;

import java.util.Locale;
import java.util.Map;

/** Reads LUN option values the way CTL does: on/off switches and numbers with k, m, g, t, p, e suffixes. */
public final class OptionValues {
    private OptionValues() {
    }

    /** True for on/yes/true/1, false for anything else that is set, {@code fallback} when unset. */
    public static boolean enabled(Map<String, String> options, String name, boolean fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true", "1" -> true;
            default -> false;
        };
    }

    /**
     * A non-negative number, decimal or {@code 0x} hex, with an optional power-of-1024 suffix; {@code fallback}
     * when unset or unreadable (a bad option value must not break a running LUN's INQUIRY).
     */
    public static long number(Map<String, String> options, String name, long fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return parseNumber(v);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** Parses {@code 4096}, {@code 4k}, {@code 0x1000}, {@code 1G} ... */
    public static long parseNumber(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty number");
        }
        int shift = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            case 'p' -> 50;
            case 'e' -> 60;
            default -> 0;
        };
        if (shift > 0) {
            s = s.substring(0, s.length() - 1);
        }
        long value = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        if (value < 0 || (shift > 0 && value > (Long.MAX_VALUE >> shift))) {
            throw new IllegalArgumentException("number out of range: " + text);
        }
        return value << shift;
    }
}

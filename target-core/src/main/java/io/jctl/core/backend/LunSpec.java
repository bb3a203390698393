package io.jctl.core.backend;

import java.util.Locale;
import java.util.Map;

/**
 * What a backend needs to open a LUN's storage.
 *
 * @param sizeBytes advertised size in bytes, or {@link #SIZE_AUTO} to take the size of the backing store
 * @param blockSize logical block size in bytes (512 or 4096)
 * @param options   LUN options ({@code file}, {@code capacity}, {@code readonly}, {@code num_threads} ...)
 */
public record LunSpec(long sizeBytes, int blockSize, Map<String, String> options) {
    public static final long SIZE_AUTO = -1;

    public LunSpec {
        options = Map.copyOf(options);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** A size or count option ({@link SizeParser} syntax: {@code 4k}, {@code 1g} ...), or {@code fallback}. */
    public long sizeOption(String name, long fallback) throws BackendConfigException {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return SizeParser.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BackendConfigException("option " + name + ": " + e.getMessage());
        }
    }

    /** An on/off option ({@code on/off}, {@code yes/no}, {@code true/false}, {@code 1/0}), or {@code fallback}. */
    public boolean flagOption(String name, boolean fallback) throws BackendConfigException {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true", "1" -> true;
            case "off", "no", "false", "0" -> false;
            default -> throw new BackendConfigException("option " + name + " must be on or off, not '" + value + "'");
        };
    }
}

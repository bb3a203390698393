package io.jctl.core.backend;

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
}

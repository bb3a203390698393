package io.jctl.ctld.config;

/**
 * A configuration the daemon cannot run with. The message is one line: {@code <file>: <path in document>: <reason>},
 * for example {@code ctl.yaml: target."iqn.2026-11.io.jctl:t0".lun.0.size: not a size: '12x'}.
 */
public final class ConfigException extends Exception {
    private final String source;
    private final String path;
    private final String reason;

    public ConfigException(String source, String path, String reason) {
        super(source + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + reason);
        this.source = source;
        this.path = path;
        this.reason = reason;
    }

    /** The file (or {@code embedded default}). */
    public String source() {
        return source;
    }

    /** Where in the document, dotted; empty for the whole document. */
    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}

package io.jctl.ctld.config;

/**
 * A configuration the daemon cannot run with. The message is one line: {@code <file>: <path in document>: <reason>},
 * for example {@code ctl.yaml: target."iqn.2026-11.io.jctl:t0".lun.0.size: not a size: '12x'}.
 */
public final class ConfigException extends Exception {
    /**
     * @param source the file (or {@code embedded default})
     * @param path   where in the document, dotted; empty for the whole document
     * @param reason what is wrong
     */
    public ConfigException(String source, String path, String reason) {
        super(source + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + reason);
    }
}

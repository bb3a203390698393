package io.jctl.ctld.config;

import io.jctl.core.lun.LunType;

import java.util.Map;

/**
 * A LUN the configuration asks for: a top-level {@code lun NAME} or a LUN defined inline in a target (named
 * {@code <target>,lun,<N>}).
 *
 * @param name       config name
 * @param path       where it is defined in the document (for error messages)
 * @param backend    backend name
 * @param blockSize  logical block size
 * @param sizeBytes  size, or {@link io.jctl.core.backend.LunSpec#SIZE_AUTO}
 * @param serial     serial, or null for the default
 * @param deviceId   device id, or null for the default
 * @param type       device type
 * @param ctlLun     core LUN number to use ({@code ctl-lun}), or -1 for the lowest free one
 * @param options    LUN options, {@code path} folded in as {@code file}
 */
public record LunDef(String name, String path, String backend, int blockSize, long sizeBytes, String serial,
                     String deviceId, LunType type, int ctlLun, Map<String, String> options) {
    public LunDef {
        options = Map.copyOf(options);
    }
}

package io.jctl.core.lun;

import java.util.Map;

/**
 * What an administrator asks for when creating a LUN ({@code ctladm create}, a config file entry).
 *
 * @param requestedId LUN number, or -1 for the lowest free one
 * @param type        device type
 * @param backend     backend name ({@code ramdisk}, {@code block})
 * @param sizeBytes   advertised size, or {@link io.jctl.core.backend.LunSpec#SIZE_AUTO}
 * @param blockSize   logical block size
 * @param serial      VPD 80h serial, or null for CTL's default {@code MYSERIAL%04d}
 * @param deviceId    VPD 83h device id, or null for CTL's default {@code MYDEVID%04d}
 * @param options     LUN options (ctl-facts §7)
 */
public record LunConfig(int requestedId, LunType type, String backend, long sizeBytes, int blockSize, String serial,
                        String deviceId, Map<String, String> options) {
    public LunConfig {
        options = Map.copyOf(options);
    }
}

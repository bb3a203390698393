package io.jctl.control.message;

import java.util.Map;

/**
 * {@code ctladm create}: a new LUN. Only {@code backend} is required; the daemon fills CTL's defaults and validates
 * every field (it is the authority, the CLI only forwards what the administrator typed).
 *
 * @param backend    backend name ({@code ramdisk}, {@code block})
 * @param size       size with optional k/m/g/t/p/e suffix, or {@code auto}; null = the backend's default
 * @param blockSize  logical block size, null = 512
 * @param lunId      requested LUN number, null = the lowest free one
 * @param serial     VPD 80h serial, null = {@code MYSERIAL%04d}
 * @param deviceId   VPD 83h device id, null = {@code MYDEVID%04d}
 * @param deviceType device type: disk, processor, cd (or a type code), null = disk
 * @param options    LUN options (ctl-facts §7), never null after construction
 */
public record CreateLunArgs(String backend, String size, Integer blockSize, Integer lunId, String serial,
                            String deviceId, String deviceType, Map<String, String> options) {
    public CreateLunArgs {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}

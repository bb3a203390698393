package io.jctl.control.message;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One LUN as {@code ctladm devlist} shows it.
 *
 * @param id          core LUN number
 * @param backend     backend name
 * @param deviceType  SPC peripheral device type code (0 disk, 3 processor, 5 cd)
 * @param sizeBlocks  size in logical blocks
 * @param blockSize   logical block size in bytes
 * @param serial      VPD 80h serial number
 * @param deviceId    VPD 83h device id
 * @param options     LUN options as given (sorted by name)
 * @param backendInfo backend facts ({@code file}, {@code num_threads}, {@code capacity} ...), sorted by name
 */
public record LunInfo(int id, String backend, int deviceType, long sizeBlocks, int blockSize, String serial,
                      String deviceId, Map<String, String> options, Map<String, String> backendInfo) {
    public LunInfo {
        options = sorted(options);
        backendInfo = sorted(backendInfo);
    }

    static <K, V> Map<K, V> sorted(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    public long sizeBytes() {
        return sizeBlocks * blockSize;
    }
}

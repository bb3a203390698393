package io.jctl.core.lun;

/**
 * How a LUN names itself in INQUIRY and VPD pages.
 *
 * @param vendor   T10 vendor (at most 8 characters)
 * @param product  product (at most 16)
 * @param revision revision (at most 4)
 * @param serial   unit serial number, VPD 80h (at most 16)
 * @param deviceId T10 vendor ID designator suffix, VPD 83h (at most 64)
 */
public record LunIdentity(String vendor, String product, String revision, String serial, String deviceId) {
}

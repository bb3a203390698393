package io.jctl.core.lun;

/** Peripheral device types the target serves. */
public enum LunType {
    DIRECT(0x00, "disk"),
    PROCESSOR(0x03, "processor"),
    CDROM(0x05, "cd");

    private final int code;
    private final String label;

    LunType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** SPC peripheral device type code. */
    public int code() {
        return code;
    }

    public String label() {
        return label;
    }
}

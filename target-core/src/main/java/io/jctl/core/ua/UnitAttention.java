package io.jctl.core.ua;

import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;

/**
 * Unit attention conditions in CTL's reporting priority: declaration order, highest first (ctl-facts §3.2).
 */
public enum UnitAttention {
    POWER_ON(0x29, 0x01, true),
    BUS_RESET(0x29, 0x02, true),
    TARGET_RESET(0x29, 0x03, true),
    I_T_NEXUS_LOSS(0x29, 0x07, true),
    LUN_RESET(0x29, 0x00, false),
    REPORTED_LUNS_CHANGED(0x3f, 0x0e, false),
    MODE_PARAMETERS_CHANGED(0x2a, 0x01, false),
    LOG_PARAMETERS_CHANGED(0x2a, 0x02, false),
    INQUIRY_DATA_CHANGED(0x3f, 0x03, false),
    RESERVATIONS_PREEMPTED(0x2a, 0x03, false),
    RESERVATIONS_RELEASED(0x2a, 0x04, false),
    REGISTRATIONS_PREEMPTED(0x2a, 0x05, false),
    ASYMMETRIC_ACCESS_CHANGED(0x2a, 0x06, false),
    CAPACITY_DATA_CHANGED(0x2a, 0x09, false),
    MEDIUM_CHANGED(0x28, 0x00, false);

    private final int asc;
    private final int ascq;
    private final boolean resetClass;

    UnitAttention(int asc, int ascq, boolean resetClass) {
        this.asc = asc;
        this.ascq = ascq;
        this.resetClass = resetClass;
    }

    /** The first four reset-class conditions, once reported, wipe every other pending UA of the nexus. */
    public boolean resetClass() {
        return resetClass;
    }

    public SenseData sense() {
        return SenseData.of(SenseKey.UNIT_ATTENTION, asc, ascq);
    }
}

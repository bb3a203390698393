package io.jctl.core.sbc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.OptionValues;

import java.util.List;

/** The SBC vital product data pages of direct-access LUNs: B0h, B1h and B2h (ctl-facts §4.2, §5.3). */
public final class BlockVpdPages {
    public static final int BLOCK_LIMITS = 0xb0;
    public static final int BLOCK_DEVICE_CHARACTERISTICS = 0xb1;
    public static final int LOGICAL_BLOCK_PROVISIONING = 0xb2;

    public static final List<Integer> PAGES = List.of(BLOCK_LIMITS, BLOCK_DEVICE_CHARACTERISTICS,
            LOGICAL_BLOCK_PROVISIONING);

    /** Threshold exponent of the provisioning page: thresholds count in 2^11 = 2048-block units, as CTL. */
    public static final int THRESHOLD_EXPONENT = 11;

    private BlockVpdPages() {
    }

    /** The page, or null for a code that is not one of {@link #PAGES}. */
    public static byte[] page(Lun lun, int code) {
        return switch (code) {
            case BLOCK_LIMITS -> blockLimits(lun);
            case BLOCK_DEVICE_CHARACTERISTICS -> blockDeviceCharacteristics(lun);
            case LOGICAL_BLOCK_PROVISIONING -> logicalBlockProvisioning(lun);
            default -> null;
        };
    }

    private static byte[] page(Lun lun, int code, int length) {
        byte[] b = new byte[length];
        b[0] = (byte) lun.type().code();
        b[1] = (byte) code;
        CdbFields.put16(b, 2, length - 4);
        return b;
    }

    /**
     * Block limits. COMPARE AND WRITE takes up to {@link CompareAndWrite#MAX_BLOCKS}, WRITE ATOMIC what the
     * storage promises ({@link WriteAtomic#maxBlocks}; no alignment, granularity or boundaries). The maximum
     * transfer length is what one command may move here ({@link ReadWrite#MAX_TRANSFER_BYTES}): Linux and qemu
     * split larger requests by it. The unmap limits and granularity are reported only while the LUN deallocates
     * (unmap on), as CTL does; the maximum WRITE SAME length when {@code write_same_max_lba} sets one, with WSNZ
     * when "to the end" is refused.
     */
    static byte[] blockLimits(Lun lun) {
        byte[] b = page(lun, BLOCK_LIMITS, 64);
        int blockSize = lun.storage().blockSize();
        Provisioning provisioning = Provisioning.of(lun);
        if (provisioning.writeSameNonZero(lun.storage().blockCount())) {
            b[4] |= 0x01; // WSNZ
        }
        b[5] = (byte) CompareAndWrite.MAX_BLOCKS;
        CdbFields.put16(b, 6, Math.min(0xffff, Geometry.logicalPerPhysical(lun)));
        CdbFields.put32(b, 8, ReadWrite.maxTransferBlocks(blockSize));
        if (provisioning.enabled()) {
            CdbFields.put32(b, 20, provisioning.maxUnmapLba());
            CdbFields.put32(b, 24, provisioning.maxUnmapDescriptors());
            long granularity = provisioning.granularityBlocks(blockSize);
            if (granularity > 1) {
                CdbFields.put32(b, 28, granularity);
                CdbFields.put32(b, 32, 0x80000000L | provisioning.alignmentLba(blockSize)); // UGAVALID
            }
        }
        if (provisioning.writeSameMaxLba() != Provisioning.UNLIMITED) {
            CdbFields.put64(b, 36, provisioning.writeSameMaxLba()); // 0 (unlimited) stays: "no limit reported"
        }
        CdbFields.put32(b, 44, WriteAtomic.maxBlocks(lun.storage()));
        return b;
    }

    /** Block device characteristics: rotation rate ({@code rpm}, 1 = solid state), form factor, FUAB VBULS. */
    static byte[] blockDeviceCharacteristics(Lun lun) {
        byte[] b = page(lun, BLOCK_DEVICE_CHARACTERISTICS, 64);
        CdbFields.put16(b, 4, (int) Math.min(0xffff, OptionValues.number(lun.options(), "rpm", 1)));
        b[7] = (byte) (OptionValues.number(lun.options(), "formfactor", 0) & 0x0f);
        b[8] = 0x07; // RBWZ, FUAB, VBULS
        return b;
    }

    /**
     * Logical block provisioning. While the LUN deallocates (unmap on): LBPU, LBPWS, LBPWS10, LBPRZ when
     * deallocated blocks read as zeros, ANC_SUP when they can be anchored, and the {@code provisioning_type};
     * otherwise every bit clear (fully provisioned). No provisioning group descriptor (DP clear).
     */
    static byte[] logicalBlockProvisioning(Lun lun) {
        byte[] b = page(lun, LOGICAL_BLOCK_PROVISIONING, 8);
        b[4] = THRESHOLD_EXPONENT;
        Provisioning provisioning = Provisioning.of(lun);
        if (provisioning.enabled()) {
            b[5] = (byte) (0xe0 | (provisioning.readsZeros() ? 0x04 : 0) | (provisioning.anchor() ? 0x02 : 0));
            b[6] = (byte) provisioning.type().code();
        }
        return b;
    }
}

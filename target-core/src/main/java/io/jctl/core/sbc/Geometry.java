package io.jctl.core.sbc;

import io.jctl.core.lun.Lun;
import io.jctl.core.lun.OptionValues;

/** Physical block facts derived from the {@code pblocksize} and {@code pblockoffset} options (ctl-facts §7.1). */
final class Geometry {
    private Geometry() {
    }

    /** Logical blocks per physical block: pblocksize / blocksize when that is a power of two, else 1. */
    static int logicalPerPhysical(Lun lun) {
        int blockSize = lun.storage().blockSize();
        long pbs = OptionValues.number(lun.options(), "pblocksize", 0);
        if (pbs <= blockSize || pbs % blockSize != 0) {
            return 1;
        }
        long ratio = pbs / blockSize;
        return Long.bitCount(ratio) == 1 && ratio <= (1 << 15) ? (int) ratio : 1;
    }

    /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT of READ CAPACITY(16). */
    static int physicalBlockExponent(Lun lun) {
        return Integer.numberOfTrailingZeros(logicalPerPhysical(lun));
    }

    /** LOWEST ALIGNED LOGICAL BLOCK ADDRESS of READ CAPACITY(16), from {@code pblockoffset}. */
    static int lowestAlignedLba(Lun lun) {
        int ratio = logicalPerPhysical(lun);
        long offsetBlocks = OptionValues.number(lun.options(), "pblockoffset", 0) / lun.storage().blockSize();
        return (int) ((ratio - offsetBlocks % ratio) % ratio);
    }
}

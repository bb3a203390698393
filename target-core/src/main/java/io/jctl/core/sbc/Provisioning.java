package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.OptionValues;

import java.util.Locale;
import java.util.Map;

/**
 * A LUN's logical block provisioning (ctl-facts §5, §7.1): whether it is thin (UNMAP, WRITE SAME with UNMAP, LBPME)
 * and the limits it reports in the Block Limits VPD page. Read from the LUN options and what its storage can do;
 * {@link #of(Map, BackendLun)} is also the check of those options when a LUN is created.
 *
 * @param enabled             the {@code unmap} option: deallocation offered (default: when the storage can)
 * @param readsZeros          deallocated blocks read as zeros (LBPRZ)
 * @param anchor              UNMAP / WRITE SAME may anchor (ANC_SUP)
 * @param maxUnmapLba         {@code unmap_max_lba}: most blocks one UNMAP may deallocate
 * @param maxUnmapDescriptors {@code unmap_max_descr}: most block descriptors in one UNMAP
 * @param writeSameMaxLba     {@code write_same_max_lba}: most blocks one WRITE SAME may write; {@link #UNLIMITED}
 * @param type                {@code provisioning_type} reported in VPD B2h while thin
 * @param granularityBytes    {@code ublocksize}: optimal unmap granularity in bytes
 * @param alignmentBytes      {@code ublockoffset}: where the first whole unmap granule starts, in bytes
 */
public record Provisioning(boolean enabled, boolean readsZeros, boolean anchor, long maxUnmapLba,
                          long maxUnmapDescriptors, long writeSameMaxLba, Type type, long granularityBytes,
                          long alignmentBytes) {
    /** The largest value of the 32-bit limit fields: no limit. */
    public static final long MAX_32 = 0xffffffffL;
    /**
     * Default {@code unmap_max_descr}: the most block descriptors a parameter list (at most 65535 bytes) can hold.
     * CTL reports FFFFFFFFh, which initiators that read the field as a signed int take as -1 (libiscsi).
     */
    public static final long MAX_DESCRIPTORS = (0xffff - Unmap.HEADER) / Unmap.DESCRIPTOR;
    /** {@code write_same_max_lba} not set. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** PROVISIONING TYPE of VPD B2h. */
    public enum Type {
        UNKNOWN(0), RESOURCE(1), THIN(2);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The provisioning of a LUN created through the target core (its options were checked then). */
    public static Provisioning of(Lun lun) {
        return of(lun.options(), lun.storage());
    }

    /**
     * Reads and checks the provisioning options against the storage.
     *
     * @throws IllegalArgumentException with a one-line reason naming the option
     */
    public static Provisioning of(Map<String, String> options, BackendLun storage) {
        int blockSize = storage.blockSize();
        boolean enabled = unmapOption(options.get("unmap"), storage);
        long maxLba = number(options, "unmap_max_lba", MAX_32, 1, MAX_32);
        long maxDescriptors = number(options, "unmap_max_descr", MAX_DESCRIPTORS, 1, MAX_32);
        long writeSameMax = number(options, "write_same_max_lba", UNLIMITED, 1, UNLIMITED);
        Type type = type(options.get("provisioning_type"));
        int natural = storage.unmapGranularity();
        long granularity = number(options, "ublocksize",
                natural >= blockSize && natural % blockSize == 0 ? natural : blockSize, blockSize, 1L << 30);
        if (granularity % blockSize != 0 || Long.bitCount(granularity / blockSize) != 1) {
            throw new IllegalArgumentException("option ublocksize " + granularity
                    + " is not a power-of-two multiple of the block size " + blockSize);
        }
        long alignment = number(options, "ublockoffset", 0, 0, granularity - 1);
        if (alignment % blockSize != 0) {
            throw new IllegalArgumentException("option ublockoffset " + alignment
                    + " is not a multiple of the block size " + blockSize);
        }
        return new Provisioning(enabled, enabled && storage.unmapReadsZeros(), enabled && storage.canAnchor(),
                maxLba, maxDescriptors, writeSameMax, type, granularity, alignment);
    }

    private static boolean unmapOption(String value, BackendLun storage) {
        if (value == null) {
            return storage.canUnmap();
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true", "1" -> {
                if (!storage.canUnmap()) {
                    throw new IllegalArgumentException("option unmap=" + value + ": this storage cannot deallocate"
                            + " blocks (read-only, or a file system or device without hole punching / discard)");
                }
                yield true;
            }
            case "off", "no", "false", "0" -> false;
            default -> throw new IllegalArgumentException("option unmap must be on or off, not '" + value + "'");
        };
    }

    private static Type type(String value) {
        if (value == null) {
            return Type.THIN;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "thin" -> Type.THIN;
            case "resource" -> Type.RESOURCE;
            case "unknown" -> Type.UNKNOWN;
            default -> throw new IllegalArgumentException("option provisioning_type must be thin, resource or"
                    + " unknown, not '" + value + "'");
        };
    }

    private static long number(Map<String, String> options, String name, long fallback, long min, long max) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        long n;
        try {
            n = OptionValues.parseNumber(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + name + ": not a number: '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + name + " " + n + " is not from " + min + " to " + max);
        }
        return n;
    }

    /** WSNZ: WRITE SAME with NUMBER OF LOGICAL BLOCKS 0 ("to the end") is refused on a LUN this large. */
    public boolean writeSameNonZero(long blockCount) {
        return blockCount > writeSameMaxLba;
    }

    /** OPTIMAL UNMAP GRANULARITY in blocks. */
    public long granularityBlocks(int blockSize) {
        return granularityBytes / blockSize;
    }

    /** UNMAP GRANULARITY ALIGNMENT: the first LBA where a whole granule starts. */
    public long alignmentLba(int blockSize) {
        long granule = granularityBlocks(blockSize);
        return (granule - (alignmentBytes / blockSize) % granule) % granule;
    }
}

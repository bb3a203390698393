package io.jctl.core.cdb;

/**
 * The block range a command touches, for extent serialization and range checks.
 *
 * @param lba    first block
 * @param blocks number of blocks (0 for an empty range)
 */
public record LbaExtent(long lba, long blocks) {
    public long end() {
        return lba + blocks;
    }

    public boolean overlaps(LbaExtent other) {
        return lba < other.end() && other.lba < end();
    }
}

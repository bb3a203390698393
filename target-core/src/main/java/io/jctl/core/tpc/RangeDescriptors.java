package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;

import java.util.ArrayList;
import java.util.List;

/**
 * Block device range descriptors of POPULATE TOKEN and WRITE USING TOKEN (16 bytes: LBA, number of blocks,
 * reserved): each must lie inside the LUN (LOGICAL BLOCK ADDRESS OUT OF RANGE, INFORMATION = the bad LBA) and no
 * two may overlap (INVALID FIELD IN PARAMETER LIST at the later one).
 */
final class RangeDescriptors {
    static final int LENGTH = 16;

    private RangeDescriptors() {
    }

    static List<RodTokens.Range> parse(byte[] data, int start, int length, Lun lun) {
        List<RodTokens.Range> out = new ArrayList<>();
        long count = lun.storage().blockCount();
        for (int off = start; off < start + length; off += LENGTH) {
            long lba = CdbFields.u64(data, off);
            long blocks = CdbFields.u32(data, off + 8);
            if (Long.compareUnsigned(lba, count) > 0 || Long.compareUnsigned(blocks, count - lba) > 0) {
                throw ScsiException.lbaOutOfRange(Long.compareUnsigned(lba, count) >= 0 ? lba : count);
            }
            for (RodTokens.Range r : out) {
                if (blocks > 0 && r.blocks() > 0 && lba < r.lba() + r.blocks() && r.lba() < lba + blocks) {
                    throw ScsiException.invalidFieldInParameterList(off, -1);
                }
            }
            out.add(new RodTokens.Range(lba, blocks));
        }
        return out;
    }
}

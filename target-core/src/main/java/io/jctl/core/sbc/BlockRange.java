package io.jctl.core.sbc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;

/**
 * The LBA and transfer length of a block command, decoded from its CDB by CDB size: 6-byte (21-bit LBA, 8-bit
 * length), 10-byte (32/16), 12-byte (32/32) and 16-byte (64/32).
 *
 * @param lba          first block (unsigned)
 * @param blocks       number of blocks
 * @param lengthOffset CDB byte of the transfer length field, for field pointers
 */
public record BlockRange(long lba, long blocks, int lengthOffset) {

    /** Decodes a CDB of a block command; READ(6)/WRITE(6) length 0 means 256 blocks. */
    public static BlockRange of(byte[] cdb) {
        int op = cdb[0] & 0xff;
        long lba;
        long blocks;
        int lengthOffset;
        switch (op >> 5) {
            case 0 -> {
                lba = ((cdb[1] & 0x1f) << 16) | CdbFields.u16(cdb, 2);
                int len = CdbFields.u8(cdb, 4);
                blocks = len == 0 ? 256 : len;
                lengthOffset = 4;
            }
            case 1, 2 -> {
                lba = CdbFields.u32(cdb, 2);
                blocks = CdbFields.u16(cdb, 7);
                lengthOffset = 7;
            }
            case 5 -> {
                lba = CdbFields.u32(cdb, 2);
                blocks = CdbFields.u32(cdb, 6);
                lengthOffset = 6;
            }
            case 4 -> {
                lba = CdbFields.u64(cdb, 2);
                blocks = CdbFields.u32(cdb, 10);
                lengthOffset = 10;
            }
            default -> throw new IllegalArgumentException("not a block command: 0x" + Integer.toHexString(op));
        }
        // One allocation site, so that the JIT can keep a range that does not escape in registers.
        return new BlockRange(lba, blocks, lengthOffset);
    }

    /** The extent function of READ/WRITE-class opcode table rows. */
    public static LbaExtent extent(byte[] cdb) {
        BlockRange r = of(cdb);
        return new LbaExtent(r.lba, r.blocks);
    }

    /**
     * Checks the range against the LUN's capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE with INFORMATION set to
     * the first LBA past the end (or the LBA itself when it already is), as CTL reports it.
     */
    public void checkCapacity(Lun lun) {
        checkCapacity(lun, lba, blocks);
    }

    public static void checkCapacity(Lun lun, long lba, long blocks) {
        long count = lun.storage().blockCount();
        if (Long.compareUnsigned(lba, count) > 0 || Long.compareUnsigned(blocks, count - lba) > 0) {
            throw ScsiException.lbaOutOfRange(Long.compareUnsigned(lba, count) >= 0 ? lba : count);
        }
    }

    /** Refuses transfers longer than one command may move, with INVALID FIELD IN CDB at the length field. */
    public void checkTransferLength(int blockSize) {
        if (blocks > ReadWrite.maxTransferBlocks(blockSize)) {
            throw ScsiException.invalidFieldInCdb(lengthOffset, -1);
        }
    }

    /** Bytes of the transfer; only valid after {@link #checkTransferLength}. */
    public int bytes(int blockSize) {
        return (int) (blocks * blockSize);
    }
}

package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WRITE ATOMIC (16), 9Ch (SBC-4 5.48): a write that lands whole or not at all. Only storage that promises it
 * ({@link BackendLun#atomicWriteBlocks()} above 0, the RAM disk) offers the command; elsewhere it is INVALID
 * COMMAND OPERATION CODE, as in CTL. TRANSFER LENGTH above {@link #maxBlocks} is INVALID FIELD IN CDB. The row
 * is {@code ATOMIC}, so no overlapping command, even HEAD OF QUEUE, sees the write half done. ATOMIC BOUNDARY is
 * outside the usage mask (no boundaries: the whole transfer is one atomic unit).
 */
public final class WriteAtomic implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(WriteAtomic.class);

    /** CDB byte of TRANSFER LENGTH. */
    static final int LENGTH_OFFSET = 12;

    /** The range a WRITE ATOMIC (16) CDB touches, for the opcode table row. */
    public static LbaExtent extent(byte[] cdb) {
        return new LbaExtent(CdbFields.u64(cdb, 2), CdbFields.u16(cdb, LENGTH_OFFSET));
    }

    /** MAXIMUM ATOMIC TRANSFER LENGTH of the block limits page: 0 when the storage has no atomic writes. */
    public static long maxBlocks(BackendLun storage) {
        return Math.min(storage.atomicWriteBlocks(), ReadWrite.maxTransferBlocks(storage.blockSize()));
    }

    @Override
    public void execute(Command cmd) {
        Lun lun = cmd.lun();
        BackendLun storage = lun.storage();
        long max = maxBlocks(storage);
        if (max == 0) {
            log.debug("{}: WRITE ATOMIC on storage without atomic writes", cmd.task());
            throw ScsiException.invalidOpcode();
        }
        byte[] cdb = cmd.cdb();
        long lba = CdbFields.u64(cdb, 2);
        int blocks = CdbFields.u16(cdb, LENGTH_OFFSET);
        BlockRange.checkCapacity(lun, lba, blocks);
        if (blocks > max) {
            log.debug("{}: WRITE ATOMIC of {} blocks, at most {}", cmd.task(), blocks, max);
            throw ScsiException.invalidFieldInCdb(LENGTH_OFFSET, -1);
        }
        int bytes = blocks * storage.blockSize();
        cmd.task().setCommandDataLength(bytes);
        if (bytes == 0) {
            cmd.complete();
            return;
        }
        if (cmd.task().expectedLength() < bytes) {
            // A shorter Data-Out would write part of the range: that is exactly what this command forbids.
            log.debug("{}: WRITE ATOMIC of {} bytes with {} bytes of Data-Out", cmd.task(), bytes,
                    cmd.task().expectedLength());
            throw ScsiException.invalidFieldInCdb(LENGTH_OFFSET, -1);
        }
        boolean fua = ReadWrite.forceUnitAccess(cmd);
        ReadWrite.write(cmd, storage, lba, bytes, fua);
    }
}

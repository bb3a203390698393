package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * COMPARE AND WRITE (89h), ctl-facts §5.1. The Data-Out holds 2 × NUMBER OF LOGICAL BLOCKS blocks: first the
 * verify data, compared with the medium, then the write data, written only when every byte matched. A
 * difference ends the command with MISCOMPARE 1Dh/00h and the offset of the first differing byte in INFORMATION,
 * leaving the medium untouched. The row is WRITE class with the CDB's range and {@code ATOMIC}: overlapping
 * commands, older or newer (even HEAD OF QUEUE), never run between the read and the write.
 */
public final class CompareAndWrite implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CompareAndWrite.class);

    /** MAXIMUM COMPARE AND WRITE LENGTH of the block limits page: all the one-byte field can ask for. */
    public static final int MAX_BLOCKS = 255;

    /** CDB byte of NUMBER OF LOGICAL BLOCKS. */
    static final int LENGTH_OFFSET = 13;

    /** The range a COMPARE AND WRITE CDB touches, for the opcode table row. */
    public static LbaExtent extent(byte[] cdb) {
        return new LbaExtent(CdbFields.u64(cdb, 2), CdbFields.u8(cdb, LENGTH_OFFSET));
    }

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        long lba = CdbFields.u64(cdb, 2);
        int blocks = CdbFields.u8(cdb, LENGTH_OFFSET);
        Lun lun = cmd.lun();
        BackendLun storage = lun.storage();
        BlockRange.checkCapacity(lun, lba, blocks);
        int half = blocks * storage.blockSize();
        int bytes = 2 * half;
        cmd.task().setCommandDataLength(bytes);
        if (cmd.task().expectedLength() != bytes) {
            // Verify and write data would be cut at a place the initiator did not mean (or it asked for 256
            // blocks, which the one-byte field wraps to 0): refuse before any I/O.
            log.debug("{}: COMPARE AND WRITE of {} blocks with {} bytes of Data-Out", cmd.task(), blocks,
                    cmd.task().expectedLength());
            throw ScsiException.invalidFieldInCdb(LENGTH_OFFSET, -1);
        }
        if (blocks == 0) {
            cmd.complete();
            return;
        }
        boolean fua = ReadWrite.forceUnitAccess(cmd);
        cmd.receiveData(bytes).whenComplete((data, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            if (data.readableBytes() < bytes) {
                data.release();
                log.debug("{}: COMPARE AND WRITE received only part of its Data-Out", cmd.task());
                cmd.fail(ScsiException.invalidFieldInCdb(LENGTH_OFFSET, -1));
                return;
            }
            compareThenWrite(cmd, storage, lba, blocks, data, half, fua);
        });
    }

    /** Reads the range, compares it with the first half of {@code data}, writes the second half; owns data. */
    private static void compareThenWrite(Command cmd, BackendLun storage, long lba, int blocks, ByteBuf data,
                                         int half, boolean fua) {
        ReadWrite.readFor(cmd, storage, lba, blocks, data, medium -> {
            long diff;
            try {
                diff = Verify.firstDifference(data, medium, half);
            } finally {
                medium.release();
            }
            if (diff >= 0) {
                data.release();
                log.debug("{}: COMPARE AND WRITE miscompare at byte {}", cmd.task(), diff);
                cmd.fail(Verify.miscompare(diff));
                return;
            }
            ReadWrite.writeAndComplete(cmd, storage, lba, data.slice(data.readerIndex() + half, half), data, fua);
        });
    }
}

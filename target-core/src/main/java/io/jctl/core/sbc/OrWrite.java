package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.netty.buffer.ByteBuf;


/**
 * ORWRITE (16), 8Bh (SBC-4 5.11; CTL has no such command): every block of the range becomes the bitwise OR of
 * what the medium holds and the Data-Out. The read, OR and write run as one step: the row is WRITE class with
 * {@code ATOMIC}, so no overlapping command runs in between. FUA (or a disabled write cache) makes the write
 * stable before status. ORPROTECT is outside the usage mask (no protection information).
 */
public final class OrWrite implements CommandHandler {
    @Override
    public void execute(Command cmd) {
        Lun lun = cmd.lun();
        BackendLun storage = lun.storage();
        BlockRange range = BlockRange.of(cmd.cdb());
        range.checkCapacity(lun);
        range.checkTransferLength(storage.blockSize());
        int bytes = range.bytes(storage.blockSize());
        cmd.task().setCommandDataLength(bytes);
        if (bytes == 0) {
            cmd.complete();
            return;
        }
        boolean fua = ReadWrite.forceUnitAccess(cmd);
        cmd.receiveData(bytes).whenComplete((data, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            int blocks = Math.min(data.readableBytes(), bytes) / storage.blockSize();
            if (blocks == 0) {
                data.release();
                cmd.complete();
                return;
            }
            orIntoMedium(cmd, storage, range.lba(), blocks, data, fua);
        });
    }

    /** Reads {@code blocks} blocks, ORs {@code data} into them and writes them back; owns {@code data}. */
    private static void orIntoMedium(Command cmd, BackendLun storage, long lba, int blocks, ByteBuf data,
                                     boolean fua) {
        ReadWrite.readFor(cmd, storage, lba, blocks, data, medium -> {
            try {
                or(medium, data, blocks * storage.blockSize());
            } finally {
                data.release();
            }
            ReadWrite.writeAndComplete(cmd, storage, lba, medium, medium, fua);
        });
    }

    /**
     * {@code target[i] |= source[i]} over the first {@code length} readable bytes of each. Bulk copies in and out:
     * an accessor call per word on a leak-tracked buffer records a stack trace each (Netty PARANOID, as in the
     * integration tests), which made libiscsi's ORWRITE tests run for minutes.
     */
    static void or(ByteBuf target, ByteBuf source, int length) {
        byte[] medium = new byte[length];
        byte[] data = new byte[length];
        target.getBytes(target.readerIndex(), medium);
        source.getBytes(source.readerIndex(), data);
        for (int i = 0; i < length; i++) {
            medium[i] |= data[i];
        }
        target.setBytes(target.readerIndex(), medium);
    }
}

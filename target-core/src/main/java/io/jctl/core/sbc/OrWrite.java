package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;

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
        boolean fua = (cmd.cdb()[1] & ReadWrite.FUA) != 0 || !lun.modePages().writeCacheEnabled();
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
        CompletableFuture<ByteBuf> read;
        try {
            read = storage.read(lba, blocks, cmd.alloc());
        } catch (RuntimeException e) {
            data.release();
            cmd.fail(e);
            return;
        }
        read.whenComplete((medium, readErr) -> {
            if (readErr != null) {
                data.release();
                cmd.fail(Futures.unwrap(readErr));
                return;
            }
            try {
                or(medium, data, blocks * storage.blockSize());
            } finally {
                data.release();
            }
            CompletableFuture<Void> written;
            try {
                written = storage.write(lba, medium, fua);
            } catch (RuntimeException e) {
                medium.release();
                cmd.fail(e);
                return;
            }
            written.whenComplete((v, writeErr) -> {
                medium.release();
                if (writeErr != null) {
                    cmd.fail(Futures.unwrap(writeErr));
                } else {
                    cmd.complete();
                }
            });
        });
    }

    /** {@code target[i] |= source[i]} over the first {@code length} readable bytes of each. */
    static void or(ByteBuf target, ByteBuf source, int length) {
        int t = target.readerIndex();
        int s = source.readerIndex();
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            target.setLong(t + i, target.getLong(t + i) | source.getLong(s + i));
        }
        for (; i < length; i++) {
            target.setByte(t + i, target.getByte(t + i) | source.getByte(s + i));
        }
    }
}

package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * READ and WRITE (6/10/12/16) and WRITE AND VERIFY (10/12/16). One backend call per command: reads land in a
 * buffer that goes to the transport as is, writes hand the received buffer to the backend.
 */
public final class ReadWrite implements CommandHandler {
    /**
     * The most one command may move; reported as MAXIMUM TRANSFER LENGTH in the block limits page. 32 MiB: 65536
     * blocks of 512 bytes in one WRITE(16), as initiators that test WRITE SAME lengths send (CTL has no limit).
     */
    public static final int MAX_TRANSFER_BYTES = 32 << 20;

    /** FUA bit of byte 1 of READ/WRITE(10/12/16). */
    static final int FUA = 0x08;

    public enum Kind {
        READ, WRITE,
        /** WRITE AND VERIFY: the data goes to stable storage before status, which is what verifying needs. */
        WRITE_AND_VERIFY
    }

    private final Kind kind;

    public ReadWrite(Kind kind) {
        this.kind = kind;
    }

    public static long maxTransferBlocks(int blockSize) {
        return MAX_TRANSFER_BYTES / blockSize;
    }

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
        if (kind == Kind.READ) {
            read(cmd, storage, range);
        } else {
            boolean fua = kind == Kind.WRITE_AND_VERIFY || forceUnitAccess(cmd);
            write(cmd, storage, range.lba(), bytes, fua);
        }
    }

    private static void read(Command cmd, BackendLun storage, BlockRange range) {
        CompletableFuture<ByteBuf> f = storage.read(range.lba(), (int) range.blocks(), cmd.alloc());
        if (f.isDone()) {
            // Storage that completes inline: no dependent future and no callback object.
            Throwable err = Futures.failureOf(f);
            if (err != null) {
                cmd.fail(err);
            } else {
                cmd.complete(f.getNow(null));
            }
            return;
        }
        f.whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
            } else {
                cmd.complete(buf);
            }
        });
    }

    /**
     * Receives the data and writes it. When the initiator's expected transfer length is shorter than the CDB's,
     * only the whole blocks that arrived are written (the transport reports the residual).
     */
    static void write(Command cmd, BackendLun storage, long lba, int bytes, boolean fua) {
        int blockSize = storage.blockSize();
        cmd.receiveData(bytes, (buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            int whole = (Math.min(buf.readableBytes(), bytes) / blockSize) * blockSize;
            if (whole == 0) {
                buf.release();
                cmd.complete();
                return;
            }
            ByteBuf data = whole == buf.readableBytes() ? buf : buf.slice(buf.readerIndex(), whole);
            writeAndComplete(cmd, storage, lba, data, buf, fua);
        });
    }

    /** The CDB's FUA bit (byte 1), or a disabled write cache (WCE=0), which makes every write FUA. */
    static boolean forceUnitAccess(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean sixByte = (cdb[0] & 0xff) < 0x20; // WRITE(6) has no FUA bit
        return (!sixByte && (cdb[1] & FUA) != 0) || !cmd.lun().modePages().writeCacheEnabled();
    }

    /**
     * Writes {@code data} and ends the command with the outcome. {@code owner} is {@code data} or the buffer it
     * slices; it is released once the write is over, whatever its outcome.
     */
    static void writeAndComplete(Command cmd, BackendLun storage, long lba, ByteBuf data, ByteBuf owner,
                                 boolean fua) {
        CompletableFuture<Void> written;
        try {
            written = storage.write(lba, data, fua);
        } catch (RuntimeException e) {
            owner.release();
            cmd.fail(e);
            return;
        }
        if (written.isDone()) {
            // Storage that completes inline: no dependent future and no callback object.
            owner.release();
            Throwable e = Futures.failureOf(written);
            if (e != null) {
                cmd.fail(e);
            } else {
                cmd.complete();
            }
            return;
        }
        written.whenComplete((v, e) -> {
            owner.release();
            if (e != null) {
                cmd.fail(Futures.unwrap(e));
            } else {
                cmd.complete();
            }
        });
    }

    /**
     * Reads {@code blocks} blocks for a read-modify step (COMPARE AND WRITE, ORWRITE) and hands them to
     * {@code then}, which owns them. On failure the command ends and {@code held}, the Data-Out the step would
     * have used, is released.
     */
    static void readFor(Command cmd, BackendLun storage, long lba, int blocks, ByteBuf held,
                        Consumer<ByteBuf> then) {
        CompletableFuture<ByteBuf> read;
        try {
            read = storage.read(lba, blocks, cmd.alloc());
        } catch (RuntimeException e) {
            held.release();
            cmd.fail(e);
            return;
        }
        read.whenComplete((medium, err) -> {
            if (err != null) {
                held.release();
                cmd.fail(Futures.unwrap(err));
            } else {
                then.accept(medium);
            }
        });
    }
}

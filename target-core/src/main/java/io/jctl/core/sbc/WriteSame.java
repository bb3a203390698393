package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * WRITE SAME (10) and (16) (SBC-4 5.49/5.50, ctl-facts §5.1). The Data-Out is one block (none with NDOB: a block
 * of zeros). With UNMAP the range is deallocated, whatever the block holds, as CTL does (ANCHOR: anchored);
 * without it the block is written to every LBA of the range, streamed to the backend in pieces of at most
 * {@link #CHUNK_BYTES} so that a long range never needs its whole size in memory. LBDATA puts each block's LBA in
 * its first four bytes. NUMBER OF LOGICAL BLOCKS 0 means "to the last block" unless WSNZ; a count above
 * {@code write_same_max_lba} is an invalid field.
 */
public final class WriteSame implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(WriteSame.class);

    static final int ANCHOR = 0x10;
    static final int UNMAP = 0x08;
    static final int LBDATA = 0x02;
    static final int NDOB = 0x01;
    /** The largest single write a pattern is streamed in. */
    static final int CHUNK_BYTES = 1 << 20;
    /** Longer ranges have no extent (see {@link #extent}): one chunk of 512-byte blocks. */
    static final long LONG_RANGE_BLOCKS = CHUNK_BYTES / 512;

    /**
     * The extent of the opcode rows: the range, or unknown (null) for "to the end" and for ranges longer than
     * {@link #LONG_RANGE_BLOCKS}. An unknown extent is ordered conservatively and keeps the command off the network
     * thread (which runs RAM disk media commands inline), since a long WRITE SAME is many backend writes.
     */
    public static LbaExtent extent(byte[] cdb) {
        boolean sixteen = (cdb[0] & 0xff) == 0x93;
        long lba = sixteen ? CdbFields.u64(cdb, 2) : CdbFields.u32(cdb, 2);
        long blocks = sixteen ? CdbFields.u32(cdb, 10) : CdbFields.u16(cdb, 7);
        return blocks == 0 || blocks > LONG_RANGE_BLOCKS ? null : new LbaExtent(lba, blocks);
    }

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean sixteen = (cdb[0] & 0xff) == 0x93;
        int flags = cdb[1] & 0xff;
        long lba = sixteen ? CdbFields.u64(cdb, 2) : CdbFields.u32(cdb, 2);
        long blocks = sixteen ? CdbFields.u32(cdb, 10) : CdbFields.u16(cdb, 7);
        int countField = sixteen ? 10 : 7;
        boolean unmap = (flags & UNMAP) != 0;
        boolean anchor = (flags & ANCHOR) != 0;
        boolean lbdata = (flags & LBDATA) != 0;
        boolean ndob = sixteen && (flags & NDOB) != 0;
        Lun lun = cmd.lun();
        BackendLun storage = lun.storage();
        Provisioning provisioning = Provisioning.of(lun);
        if (anchor && !unmap) {
            throw ScsiException.invalidFieldInCdb(1, 4);
        }
        if (lbdata && (unmap || ndob)) {
            throw ScsiException.invalidFieldInCdb(1, 1);
        }
        if (unmap && !provisioning.enabled()) {
            log.debug("{}: WRITE SAME with UNMAP on {} with unmap off", cmd.task(), lun);
            throw ScsiException.invalidFieldInCdb(1, 3);
        }
        if (anchor && !provisioning.anchor()) {
            throw ScsiException.invalidFieldInCdb(1, 4);
        }
        BlockRange.checkCapacity(lun, lba, blocks);
        long count = storage.blockCount();
        if (blocks == 0) {
            if (provisioning.writeSameNonZero(count)) {
                throw ScsiException.invalidFieldInCdb(countField, -1);
            }
            blocks = count - lba;
        }
        if (blocks > provisioning.writeSameMaxLba()) {
            throw ScsiException.invalidFieldInCdb(countField, -1);
        }
        int blockSize = storage.blockSize();
        Run run = new Run(cmd, storage, lba, blocks, unmap, anchor, lbdata,
                !lun.modePages().writeCacheEnabled());
        if (ndob) {
            cmd.task().setCommandDataLength(0);
            run.start(null);
            return;
        }
        if (cmd.task().expectedLength() != blockSize) {
            log.info("{}: WRITE SAME with {} bytes of Data-Out expected; it must be one block of {}", cmd.task(),
                    cmd.task().expectedLength(), blockSize);
            throw ScsiException.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00));
        }
        cmd.task().setCommandDataLength(blockSize);
        cmd.receiveData(blockSize).whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
            } else if (buf.readableBytes() < blockSize) {
                buf.release();
                cmd.fail(ScsiException.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00)));
            } else {
                run.start(buf);
            }
        });
    }

    /** One WRITE SAME once its checks passed: deallocation, or the pattern streamed over the range. */
    private static final class Run {
        private final Command cmd;
        private final BackendLun storage;
        private final boolean unmap;
        private final boolean anchor;
        private final boolean lbdata;
        private final boolean fua;
        private final int blockSize;
        private long next;
        private long remaining;

        Run(Command cmd, BackendLun storage, long lba, long blocks, boolean unmap, boolean anchor, boolean lbdata,
            boolean fua) {
            this.cmd = cmd;
            this.storage = storage;
            this.unmap = unmap;
            this.anchor = anchor;
            this.lbdata = lbdata;
            this.fua = fua;
            this.blockSize = storage.blockSize();
            this.next = lba;
            this.remaining = blocks;
        }

        /** Runs with the received block ({@code pattern}, released here) or zeros when null. */
        void start(ByteBuf pattern) {
            if (remaining == 0) {
                release(pattern);
                cmd.complete();
                return;
            }
            if (unmap) {
                release(pattern);
                finish(call(() -> storage.unmap(next, remaining, anchor)), null);
                return;
            }
            int chunkBlocks = (int) Math.min(remaining, Math.max(1, CHUNK_BYTES / blockSize));
            ByteBuf chunk = null;
            try {
                chunk = cmd.alloc().directBuffer(chunkBlocks * blockSize);
                for (int i = 0; i < chunkBlocks; i++) {
                    if (pattern == null) {
                        chunk.writeZero(blockSize);
                    } else {
                        chunk.writeBytes(pattern, pattern.readerIndex(), blockSize);
                    }
                }
            } catch (RuntimeException | OutOfMemoryError e) {
                release(chunk);
                cmd.fail(e);
                return;
            } finally {
                release(pattern);
            }
            ByteBuf filled = chunk;
            finish(Steps.inSequence(() -> writeNext(filled, chunkBlocks)), filled);
        }

        private CompletableFuture<Void> writeNext(ByteBuf chunk, int chunkBlocks) {
            if (remaining == 0) {
                return null;
            }
            int n = (int) Math.min(remaining, chunkBlocks);
            if (lbdata) {
                for (int i = 0; i < n; i++) {
                    chunk.setInt(chunk.readerIndex() + i * blockSize, (int) (next + i));
                }
            }
            ByteBuf piece = n == chunkBlocks ? chunk : chunk.slice(chunk.readerIndex(), n * blockSize);
            CompletableFuture<Void> written = storage.write(next, piece, fua);
            next += n;
            remaining -= n;
            return written;
        }

        private static CompletableFuture<Void> call(java.util.function.Supplier<CompletableFuture<Void>> op) {
            try {
                return op.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void finish(CompletableFuture<Void> done, ByteBuf chunk) {
            done.whenComplete((v, err) -> {
                release(chunk);
                if (err != null) {
                    cmd.fail(Futures.unwrap(err));
                } else {
                    cmd.complete();
                }
            });
        }

        private static void release(ByteBuf buf) {
            if (buf != null) {
                buf.release();
            }
        }
    }
}

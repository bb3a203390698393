package io.jctl.core.tpc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Moves blocks on behalf of a copy command, in chunks of at most 1 MiB: each chunk a READ ordered in the source
 * LUN's task set and then a WRITE ordered in the destination LUN's task set, as CTL's internal copy port issues
 * them. So a copy never races an initiator's write to the blocks it reads or writes, and resets, LUN removal and
 * ABORT TASK stop it between chunks. Every read and write is done for the copy command's initiator: the precheck's
 * LUN state checks judge it as that nexus's own READ(16) / WRITE(16) (reservations, write protection, a stopped
 * unit), and a refusal aborts the copy with COPY ABORTED, 0Dh/01h, and the refusal in a forwarded sense data
 * descriptor. Copies run on threads of their own ({@link #THREADS}) and wait there for each chunk, so a long copy
 * never occupies a LUN's worker lane.
 */
final class BlockMover {
    private static final Logger log = LoggerFactory.getLogger(BlockMover.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    /** The rows the copy's I/O is judged and ordered as. */
    private static final int TEST_UNIT_READY = 0x00;
    private static final int READ_16 = 0x88;
    private static final int WRITE_16 = 0x8a;
    static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jctl-tpc-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** The copy stopped on request: ABORT TASK / reset of the copy command, or COPY OPERATION ABORT. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** The copy failed; {@code sense} is the COPY ABORTED sense without the segment number. */
    static final class Failure extends RuntimeException {
        final SenseData sense;
        /** A copy target refused the I/O: {@link SenseData#FORWARDED_FROM_COPY_SOURCE} or destination, else 0. */
        final int refusedBy;

        Failure(SenseData sense, String why) {
            this(sense, 0, why);
        }

        Failure(SenseData sense, int refusedBy, String why) {
            super(why, null, false, false);
            this.sense = sense;
            this.refusedBy = refusedBy;
        }
    }

    private final Command cmd;
    private final CopyOperation op;
    private final OpcodeEntry readRow;
    private final OpcodeEntry writeRow;

    BlockMover(Command cmd, CopyOperation op) {
        this.cmd = cmd;
        this.op = op;
        this.readRow = row(cmd, READ_16);
        this.writeRow = row(cmd, WRITE_16);
    }

    /** The opcode row whose flags and class the copy's I/O is judged and ordered by. */
    private static OpcodeEntry row(Command cmd, int opcode) {
        return cmd.target().opcodes().lookup(opcode, -1).orElseThrow(() -> new IllegalStateException(
                String.format("the opcode table has no %02Xh row for the copy manager's I/O", opcode)));
    }

    static SenseData copyAborted(int asc, int ascq) {
        return SenseData.of(SenseKey.COPY_ABORTED, asc, ascq);
    }

    /** Copies {@code bytes} (whole blocks on both sides) from {@code src} at {@code srcLba} to {@code dst}. */
    void move(Lun src, long srcLba, Lun dst, long dstLba, long bytes) {
        int srcBlock = src.storage().blockSize();
        int dstBlock = dst.storage().blockSize();
        if (bytes == 0) {
            return;
        }
        if (bytes % srcBlock != 0 || bytes % dstBlock != 0) {
            throw new Failure(copyAborted(0x26, 0x0a), "range is not a whole number of blocks on both sides");
        }
        inRange(src, srcLba, bytes / srcBlock);
        inRange(dst, dstLba, bytes / dstBlock);
        LunContext srcCtx = reachable(src);
        LunContext dstCtx = reachable(dst);
        boolean fua = !dst.modePages().writeCacheEnabled();
        for (long done = 0; done < bytes; ) {
            checkStop();
            int n = (int) Math.min(CopyLimits.CHUNK_BYTES, bytes - done);
            long sLba = srcLba + done / srcBlock;
            long dLba = dstLba + done / dstBlock;
            int srcBlocks = n / srcBlock;
            ByteBuf data = io(srcCtx, SenseData.FORWARDED_FROM_COPY_SOURCE, () -> cmd.target().runFor(cmd, srcCtx,
                    readRow, new LbaExtent(sLba, srcBlocks), () -> src.storage().read(sLba, srcBlocks, cmd.alloc())));
            try {
                io(dstCtx, SenseData.FORWARDED_FROM_COPY_DESTINATION, () -> cmd.target().runFor(cmd, dstCtx,
                        writeRow, new LbaExtent(dLba, n / dstBlock), () -> dst.storage().write(dLba, data, fua)));
            } finally {
                data.release();
            }
            done += n;
            op.chunkDone(n, 2);
        }
    }

    /** Writes zeros over {@code blocks} blocks of {@code dst} from {@code lba} (the block device zero ROD). */
    void zero(Lun dst, long lba, long blocks) {
        int block = dst.storage().blockSize();
        inRange(dst, lba, blocks);
        LunContext ctx = reachable(dst);
        boolean fua = !dst.modePages().writeCacheEnabled();
        long bytes = blocks * block;
        for (long done = 0; done < bytes; ) {
            checkStop();
            int n = (int) Math.min(CopyLimits.CHUNK_BYTES, bytes - done);
            long dLba = lba + done / block;
            ByteBuf zeros = cmd.alloc().buffer(n).writeZero(n);
            try {
                io(ctx, SenseData.FORWARDED_FROM_COPY_DESTINATION, () -> cmd.target().runFor(cmd, ctx, writeRow,
                        new LbaExtent(dLba, n / block), () -> dst.storage().write(dLba, zeros, fua)));
            } finally {
                zeros.release();
            }
            done += n;
            op.chunkDone(n, 1);
        }
    }

    /**
     * Verify CSCD with TUR: {@code lun} must answer TEST UNIT READY from the copy's nexus (ready, no reservation
     * conflict), judged by the same LUN state checks and ordered like an initiator's.
     */
    void testUnitReady(Lun lun) {
        LunContext ctx = reachable(lun);
        OpcodeEntry tur = row(cmd, TEST_UNIT_READY);
        io(ctx, SenseData.FORWARDED_FROM_COPY_SOURCE,
                () -> cmd.target().runFor(cmd, ctx, tur, null, () -> CompletableFuture.completedFuture(null)));
    }

    private void checkStop() {
        if (cmd.aborted() || op.abortRequested()) {
            throw new Stopped();
        }
    }

    private LunContext reachable(Lun lun) {
        LunContext ctx = cmd.target().context(lun);
        if (ctx == null || ctx.removed()) {
            throw new Failure(copyAborted(0x0d, 0x02), lun + " was removed");
        }
        return ctx;
    }

    static void inRange(Lun lun, long lba, long blocks) {
        long count = lun.storage().blockCount();
        if (Long.compareUnsigned(lba, count) >= 0 || Long.compareUnsigned(blocks, count - lba) > 0) {
            long first = Long.compareUnsigned(lba, count) >= 0 ? lba : count;
            // libiscsi and SPC-4's copy-target checks accept COPY ABORTED here; the first bad LBA is INFORMATION.
            throw new Failure(copyAborted(0x00, 0x00).withInformation(first),
                    "blocks " + Long.toUnsignedString(lba) + "+" + blocks + " are outside " + lun);
        }
    }

    /**
     * Runs one internal I/O on {@code target} to its end, retrying backend failures that may be transient.
     * {@code role} says whether {@code target} is the copy source or destination (forwarded sense).
     */
    private <T> T io(LunContext target, int role, Supplier<CompletableFuture<T>> start) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.get().join();
            } catch (CompletionException e) {
                Throwable t = unwrap(e);
                if (t instanceof ScsiException se && se.status() == ScsiStatus.TASK_ABORTED) {
                    if (cmd.aborted()) {
                        throw new Stopped();
                    }
                    if (target.removed()) {
                        throw new Failure(copyAborted(0x0d, 0x02), target.lun() + " was removed");
                    }
                    throw new Failure(copyAborted(0x0d, 0x01), "a reset aborted the copy's I/O");
                }
                if (t instanceof ScsiException se && se.sense() != null && se.sense().asc() == 0x25) {
                    throw new Failure(copyAborted(0x0d, 0x02), "copy target was removed");
                }
                if (t instanceof ScsiException se) {
                    // Refused as the initiator's own command would be: reservation conflict, not ready, protected.
                    throw new Failure(copyAborted(0x0d, 0x01).withForwardedSense(role, se.status(), se.sense()),
                            role, target.lun() + " refused the copy's I/O for " + cmd.nexus().initiatorPort() + ": "
                                    + se.getMessage());
                }
                boolean transientKind = t instanceof BackendIoException be
                        && be.kind() != BackendIoException.Kind.NO_SPACE
                        && be.kind() != BackendIoException.Kind.READ_ONLY
                        && be.kind() != BackendIoException.Kind.UNSUPPORTED;
                if (!transientKind || attempt >= CopyLimits.IO_ATTEMPTS) {
                    throw new Failure(copyAborted(0x0d, 0x01), "copy target I/O failed: " + t.getMessage());
                }
                log.debug("{}: copy I/O attempt {} failed: {}", cmd.task(), attempt, t.getMessage());
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}

package io.jctl.core.tpc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.tpc.CopyDescriptors.Cscd;
import io.jctl.core.tpc.CopyDescriptors.Segment;
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
 * Carries out one EXTENDED COPY: segment after segment, in chunks of at most 1 MiB, each chunk a READ ordered in
 * the source LUN's task set and then a WRITE ordered in the destination LUN's task set, as CTL's internal copy port
 * issues them. So a copy never races an initiator's write to the blocks it reads or writes, and resets, LUN
 * removal and ABORT TASK stop it between chunks. It runs on a copy thread of its own and waits there for each
 * chunk, so a long copy never occupies a LUN's worker lane.
 */
final class CopyJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CopyJob.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jctl-tpc-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final Command cmd;
    private final CopyDescriptors list;
    private final CopyOperations operations;
    private final CopyOperation op;
    private int segment;

    private CopyJob(Command cmd, CopyDescriptors list, CopyOperations operations, CopyOperation op) {
        this.cmd = cmd;
        this.list = list;
        this.operations = operations;
        this.op = op;
    }

    static void start(Command cmd, CopyDescriptors list, CopyOperations operations, CopyOperation op) {
        THREADS.execute(new CopyJob(cmd, list, operations, op));
    }

    /** The copy stopped on request: ABORT TASK / reset of the EXTENDED COPY, or COPY OPERATION ABORT. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** The copy failed; {@code sense} is the COPY ABORTED sense without the segment number. */
    private static final class Failure extends RuntimeException {
        final SenseData sense;

        Failure(SenseData sense, String why) {
            super(why, null, false, false);
            this.sense = sense;
        }
    }

    @Override
    public void run() {
        try {
            for (segment = 0; segment < list.segments().size(); segment++) {
                copy(list.segments().get(segment));
                op.segmentDone();
            }
            operations.end(op, CopyOperation.State.COMPLETED, null);
            log.debug("{}: copy list {} done, {} bytes", cmd.task(), list.listId(), op.bytesTransferred());
            cmd.complete();
        } catch (Stopped s) {
            log.info("{}: copy list {} stopped in segment {}", cmd.task(), list.listId(), segment);
            operations.end(op, CopyOperation.State.ABORTED, null);
            cmd.fail(ScsiException.status(ScsiStatus.TASK_ABORTED));
        } catch (Failure f) {
            SenseData sense = f.sense.withCommandSpecificInformation(segment);
            log.info("{}: copy list {} failed in segment {}: {} ({})", cmd.task(), list.listId(), segment,
                    f.getMessage(), sense);
            operations.end(op, CopyOperation.State.FAILED, sense);
            cmd.fail(ScsiException.checkCondition(sense));
        } catch (RuntimeException e) {
            log.error("{}: copy list {} failed in segment {}", cmd.task(), list.listId(), segment, e);
            operations.end(op, CopyOperation.State.FAILED,
                    SenseData.of(SenseKey.HARDWARE_ERROR, 0x44, 0x00).withCommandSpecificInformation(segment));
            cmd.fail(e);
        }
    }

    private void copy(Segment s) {
        Lun src = target(s.source());
        Lun dst = target(s.destination());
        int srcBlock = src.storage().blockSize();
        int dstBlock = dst.storage().blockSize();
        long bytes = (long) s.blocks() * (s.destinationCount() ? dstBlock : srcBlock);
        if (bytes == 0) {
            return;
        }
        if (bytes % srcBlock != 0 || bytes % dstBlock != 0) {
            throw new Failure(copyAborted(0x26, 0x0a), "segment is not a whole number of blocks on both sides");
        }
        inRange(src, s.sourceLba(), bytes / srcBlock);
        inRange(dst, s.destinationLba(), bytes / dstBlock);
        LunContext srcCtx = reachable(src);
        LunContext dstCtx = reachable(dst);
        if (src.stopped() || dst.stopped() || src.ejected() || dst.ejected() || dst.writeProtected()) {
            throw new Failure(copyAborted(0x0d, 0x01), "copy target is stopped, has no medium or is write protected");
        }
        boolean fua = !dst.modePages().writeCacheEnabled();
        for (long done = 0; done < bytes; ) {
            if (cmd.aborted() || op.abortRequested()) {
                throw new Stopped();
            }
            int n = (int) Math.min(CopyLimits.CHUNK_BYTES, bytes - done);
            long srcLba = s.sourceLba() + done / srcBlock;
            long dstLba = s.destinationLba() + done / dstBlock;
            int srcBlocks = n / srcBlock;
            ByteBuf data = io(srcCtx, () -> cmd.target().runInternal(srcCtx, SerializationClass.READ,
                    new LbaExtent(srcLba, srcBlocks), () -> src.storage().read(srcLba, srcBlocks, cmd.alloc())));
            try {
                io(dstCtx, () -> cmd.target().runInternal(dstCtx, SerializationClass.WRITE,
                        new LbaExtent(dstLba, n / dstBlock), () -> dst.storage().write(dstLba, data, fua)));
            } finally {
                data.release();
            }
            done += n;
            op.chunkDone(n);
        }
    }

    /** The LUN a CSCD index names: FFFFh the copy manager's own, else the CSCD descriptor's. */
    private Lun target(int index) {
        Lun lun;
        if (index == CopyLimits.CSCD_INDEX_SELF) {
            lun = cmd.lun();
        } else {
            if (index >= list.cscds().size()) {
                throw new Failure(copyAborted(0x08, 0x04), "CSCD index " + index + " names no descriptor");
            }
            Cscd cscd = list.cscds().get(index);
            lun = CopyTargets.resolve(cmd, cscd);
            if (lun == null) {
                throw new Failure(copyAborted(0x08, 0x04), "CSCD " + index + " names no reachable LUN");
            }
            if (cscd.peripheralType() != LunType.DIRECT.code()) {
                throw new Failure(copyAborted(0x0d, 0x03), "CSCD " + index + " is not a block device");
            }
            if (cscd.blockLength() != 0 && cscd.blockLength() != lun.storage().blockSize()) {
                throw new Failure(copyAborted(0x26, 0x00), "CSCD " + index + " block length "
                        + cscd.blockLength() + " is not " + lun + "'s " + lun.storage().blockSize());
            }
        }
        if (lun.type() != LunType.DIRECT) {
            throw new Failure(copyAborted(0x0d, 0x03), lun + " is not a block device");
        }
        return lun;
    }

    private LunContext reachable(Lun lun) {
        LunContext ctx = cmd.target().context(lun);
        if (ctx == null || ctx.removed()) {
            throw new Failure(copyAborted(0x0d, 0x02), lun + " was removed");
        }
        return ctx;
    }

    private static void inRange(Lun lun, long lba, long blocks) {
        long count = lun.storage().blockCount();
        if (Long.compareUnsigned(lba, count) >= 0 || Long.compareUnsigned(blocks, count - lba) > 0) {
            long first = Long.compareUnsigned(lba, count) >= 0 ? lba : count;
            // libiscsi and SPC-4's copy-target checks accept COPY ABORTED here; the first bad LBA is INFORMATION.
            throw new Failure(copyAborted(0x00, 0x00).withInformation(first),
                    "blocks " + Long.toUnsignedString(lba) + "+" + blocks + " are outside " + lun);
        }
    }

    /** Runs one internal I/O on {@code target} to its end, retrying backend failures that may be transient. */
    private <T> T io(LunContext target, Supplier<CompletableFuture<T>> start) {
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

    private static SenseData copyAborted(int asc, int ascq) {
        return SenseData.of(SenseKey.COPY_ABORTED, asc, ascq);
    }
}

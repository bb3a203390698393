package io.jctl.core.tpc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.tpc.CopyDescriptors.Cscd;
import io.jctl.core.tpc.CopyDescriptors.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Carries out one EXTENDED COPY on a copy thread: its segments in order, each resolved to source and destination
 * LUNs and moved by a {@link BlockMover}. The command ends when the copy does; its {@link CopyOperation} records
 * how.
 */
final class CopyJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CopyJob.class);
    private final Command cmd;
    private final CopyDescriptors list;
    private final CopyOperations operations;
    private final CopyOperation op;
    private final BlockMover mover;
    private int segment;

    private CopyJob(Command cmd, CopyDescriptors list, CopyOperations operations, CopyOperation op) {
        this.cmd = cmd;
        this.list = list;
        this.operations = operations;
        this.op = op;
        this.mover = new BlockMover(cmd, op);
    }

    static void start(Command cmd, CopyDescriptors list, CopyOperations operations, CopyOperation op) {
        BlockMover.THREADS.execute(new CopyJob(cmd, list, operations, op));
    }

    @Override
    public void run() {
        try {
            for (segment = 0; segment < list.segments().size(); segment++) {
                CopyDescriptors.Step step = list.segments().get(segment);
                if (step instanceof Segment s) {
                    copy(s);
                } else if (step instanceof CopyDescriptors.VerifyCscd v) {
                    verify(v);
                }
                op.segmentDone();
            }
            operations.end(op, CopyOperation.State.COMPLETED, null);
            log.debug("{}: copy list {} done, {} bytes", cmd.task(), list.listId(), op.bytesTransferred());
            cmd.complete();
        } catch (BlockMover.Stopped s) {
            log.info("{}: copy list {} stopped in segment {}", cmd.task(), list.listId(), segment);
            operations.end(op, CopyOperation.State.ABORTED, null);
            cmd.fail(ScsiException.status(ScsiStatus.TASK_ABORTED));
        } catch (BlockMover.Failure f) {
            SenseData sense = refusingCscd(f)
                    .map(c -> f.sense.withSenseKeySpecific(new byte[] {(byte) 0x80, (byte) (c.offset() >> 8),
                            (byte) c.offset()}))
                    .orElse(f.sense).withCommandSpecificInformation(segment);
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
        long bytes = (long) s.blocks() * (s.destinationCount() ? dst.storage().blockSize()
                : src.storage().blockSize());
        mover.move(src, s.sourceLba(), dst, s.destinationLba(), bytes);
    }

    /**
     * The CSCD descriptor of the copy target that refused the failed segment's I/O, for the segment pointer (SPC-4
     * sense-key specific data, SD=0: its offset in the parameter list), as CTL reports it; empty for the copy
     * manager's own LUN (index FFFFh has no descriptor) and for other failures.
     */
    private java.util.Optional<Cscd> refusingCscd(BlockMover.Failure f) {
        if (f.refusedBy == 0 || segment >= list.segments().size()) {
            return java.util.Optional.empty();
        }
        CopyDescriptors.Step step = list.segments().get(segment);
        int index = step instanceof Segment s
                ? (f.refusedBy == SenseData.FORWARDED_FROM_COPY_SOURCE ? s.source() : s.destination())
                : ((CopyDescriptors.VerifyCscd) step).source();
        return index < list.cscds().size() ? java.util.Optional.of(list.cscds().get(index)) : java.util.Optional.empty();
    }

    /** Verify CSCD: the target resolves (else 08h/04h) and, with TUR, answers TEST UNIT READY (else 0Dh/01h). */
    private void verify(CopyDescriptors.VerifyCscd v) {
        Lun lun = target(v.source());
        if (v.testUnitReady()) {
            mover.testUnitReady(lun);
        }
    }

    /** The LUN a CSCD index names: FFFFh the copy manager's own, else the CSCD descriptor's. */
    private Lun target(int index) {
        Lun lun;
        if (index == CopyLimits.CSCD_INDEX_SELF) {
            lun = cmd.lun();
        } else {
            if (index >= list.cscds().size()) {
                throw new BlockMover.Failure(BlockMover.copyAborted(0x08, 0x04), "CSCD index " + index + " names no descriptor");
            }
            Cscd cscd = list.cscds().get(index);
            lun = CopyTargets.resolve(cmd, cscd);
            if (lun == null) {
                throw new BlockMover.Failure(BlockMover.copyAborted(0x08, 0x04), "CSCD " + index + " names no reachable LUN");
            }
            if (cscd.peripheralType() != LunType.DIRECT.code()) {
                throw new BlockMover.Failure(BlockMover.copyAborted(0x0d, 0x03), "CSCD " + index + " is not a block device");
            }
            if (cscd.blockLength() != 0 && cscd.blockLength() != lun.storage().blockSize()) {
                throw new BlockMover.Failure(BlockMover.copyAborted(0x26, 0x00), "CSCD " + index + " block length "
                        + cscd.blockLength() + " is not " + lun + "'s " + lun.storage().blockSize());
            }
        }
        if (lun.type() != LunType.DIRECT) {
            throw new BlockMover.Failure(BlockMover.copyAborted(0x0d, 0x03), lun + " is not a block device");
        }
        return lun;
    }

}

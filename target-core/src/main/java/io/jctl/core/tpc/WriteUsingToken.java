package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * WRITE USING TOKEN (83h/11h): writes the data a ROD token names (from OFFSET INTO ROD, in source blocks) into
 * ranges of this LUN, through a {@link BlockMover} like EXTENDED COPY; the block device zero token (FFFF0001h)
 * writes zeros. An unknown or expired token is ILLEGAL REQUEST 23h/04h (TOKEN UNKNOWN), another token type 23h/01h;
 * a token shorter than the destination ranges copies what it has and then ends with 26h/00h, as CTL does.
 */
final class WriteUsingToken implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(WriteUsingToken.class);
    static final int HEADER = 536;
    private static final int DEL_TKN = 0x02;

    private final LongSupplier nanoClock;
    private final RodTokens tokens;

    WriteUsingToken(LongSupplier nanoClock, RodTokens tokens) {
        this.nanoClock = nanoClock;
        this.tokens = tokens;
    }

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        long listId = CdbFields.u32(cdb, 6);
        long length = CdbFields.u32(cdb, 10);
        ParameterList.checkRangeListLength(cmd, length, HEADER);
        LunContext ctx = ParameterList.context(cmd);
        CopyOperations operations = ParameterList.operations(ctx, nanoClock);
        ParameterList.receive(cmd, length, data -> start(cmd, operations, listId, data));
    }

    private void start(Command cmd, CopyOperations operations, long listId, byte[] data) {
        if (data.length < HEADER + RangeDescriptors.LENGTH) {
            throw ScsiException.parameterListLengthError();
        }
        int dataLength = CdbFields.u16(data, 0);
        if (dataLength < HEADER - 2 + RangeDescriptors.LENGTH) {
            throw ScsiException.invalidFieldInParameterList(0, -1);
        }
        int rangesLength = CdbFields.u16(data, 534);
        if (rangesLength < RangeDescriptors.LENGTH || rangesLength % RangeDescriptors.LENGTH != 0
                || data.length < HEADER + rangesLength || dataLength < HEADER - 2 + rangesLength) {
            throw ScsiException.invalidFieldInParameterList(534, -1);
        }
        List<RodTokens.Range> ranges = RangeDescriptors.parse(data, HEADER, rangesLength, cmd.lun());
        long offset = CdbFields.u64(data, 8);
        byte[] tokenBytes = Arrays.copyOfRange(data, 16, 16 + RodTokens.TOKEN_LENGTH);
        long type = CdbFields.u32(tokenBytes, 0);
        RodTokens.Token token = null;
        if (type != RodTokens.TYPE_BLOCK_ZERO) {
            if (type != RodTokens.TYPE_ACCESS_UPON_REFERENCE) {
                throw ScsiException.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x23, 0x01);
            }
            token = tokens.acquire(tokenBytes);
            if (token == null) {
                throw ScsiException.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x23, 0x04);
            }
        }
        CopyOperation op;
        try {
            op = operations.start(cmd.nexus(), new CopyDescriptors(0x11, listId, true, List.of(), List.of()));
        } catch (ScsiException e) {
            if (token != null) {
                tokens.release(token, false);
            }
            throw e;
        }
        RodTokens.Token source = token;
        boolean delete = (data[2] & DEL_TKN) != 0;
        BlockMover.THREADS.execute(() -> run(cmd, operations, op, source, offset, ranges, delete));
    }

    private void run(Command cmd, CopyOperations operations, CopyOperation op, RodTokens.Token token, long offset,
                     List<RodTokens.Range> ranges, boolean delete) {
        BlockMover mover = new BlockMover(cmd, op);
        Throwable failure = null;
        CopyOperation.State state;
        SenseData sense = null;
        try {
            boolean complete = token == null ? zero(cmd.lun(), mover, ranges)
                    : copy(cmd.lun(), mover, token, offset, ranges);
            state = complete ? CopyOperation.State.COMPLETED : CopyOperation.State.FAILED;
            if (!complete) {
                sense = SenseData.of(SenseKey.ILLEGAL_REQUEST, 0x26, 0x00);
            }
        } catch (BlockMover.Stopped s) {
            state = CopyOperation.State.ABORTED;
            failure = ScsiException.status(ScsiStatus.TASK_ABORTED);
        } catch (BlockMover.Failure f) {
            log.info("{}: WRITE USING TOKEN failed: {} ({})", cmd.task(), f.getMessage(), f.sense);
            state = CopyOperation.State.FAILED;
            sense = f.sense;
        } catch (RuntimeException e) {
            log.error("{}: WRITE USING TOKEN failed", cmd.task(), e);
            state = CopyOperation.State.FAILED;
            sense = SenseData.of(SenseKey.HARDWARE_ERROR, 0x44, 0x00);
            failure = e;
        }
        // The token is released (or deleted) before the initiator hears the outcome.
        if (token != null) {
            tokens.release(token, delete);
        }
        operations.end(op, state, sense);
        if (failure != null) {
            cmd.fail(failure);
        } else if (sense != null) {
            cmd.fail(ScsiException.checkCondition(sense));
        } else {
            cmd.complete();
        }
    }

    private static boolean zero(Lun dst, BlockMover mover, List<RodTokens.Range> ranges) {
        for (RodTokens.Range r : ranges) {
            mover.zero(dst, r.lba(), r.blocks());
        }
        return true;
    }

    /** Copies token data into the ranges; false when the token ran out first. */
    private static boolean copy(Lun dst, BlockMover mover, RodTokens.Token token, long offset,
                                List<RodTokens.Range> ranges) {
        Lun src = token.source.lun();
        int srcBlock = src.storage().blockSize();
        int dstBlock = dst.storage().blockSize();
        int sIndex = 0;
        long sSkip = offset; // source blocks still to pass over, then the position inside the current range
        for (RodTokens.Range d : ranges) {
            long dDone = 0; // destination bytes written in this range
            long dBytes = d.blocks() * dstBlock;
            while (dDone < dBytes) {
                while (sIndex < token.ranges.size() && sSkip >= token.ranges.get(sIndex).blocks()) {
                    sSkip -= token.ranges.get(sIndex).blocks();
                    sIndex++;
                }
                if (sIndex == token.ranges.size()) {
                    return false;
                }
                RodTokens.Range s = token.ranges.get(sIndex);
                long n = Math.min((s.blocks() - sSkip) * srcBlock, dBytes - dDone);
                n -= n % Math.max(srcBlock, dstBlock);
                if (n == 0) {
                    return false;
                }
                mover.move(src, s.lba() + sSkip, dst, d.lba() + dDone / dstBlock, n);
                sSkip += n / srcBlock;
                dDone += n;
            }
        }
        return true;
    }
}

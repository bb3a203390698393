package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * POPULATE TOKEN (83h/10h): makes an "access upon reference" ROD token for ranges of this LUN. No data moves; the
 * token is returned by RECEIVE ROD TOKEN INFORMATION with the same list identifier. Checks as CTL: parameter list
 * length (24h at the CDB length field), data length (26h at byte 0), range descriptor length (26h at byte 14),
 * inactivity timeout above 600 s (26h at byte 4), a ROD type other than access upon reference (26h at byte 8),
 * ranges outside the LUN (21h/00h) or overlapping (26h at the range).
 */
final class PopulateToken implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(PopulateToken.class);
    static final int HEADER = 16;
    private static final int RTV = 0x02;

    private final LongSupplier nanoClock;
    private final RodTokens tokens;

    PopulateToken(LongSupplier nanoClock, RodTokens tokens) {
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
        ParameterList.receive(cmd, length, data -> populate(cmd, ctx, operations, listId, data));
    }

    private void populate(Command cmd, LunContext ctx, CopyOperations operations, long listId, byte[] data) {
        if (data.length < HEADER + RangeDescriptors.LENGTH) {
            throw ScsiException.parameterListLengthError();
        }
        int dataLength = CdbFields.u16(data, 0);
        if (dataLength < HEADER - 2 + RangeDescriptors.LENGTH) {
            throw ScsiException.invalidFieldInParameterList(0, -1);
        }
        int rangesLength = CdbFields.u16(data, 14);
        if (rangesLength < RangeDescriptors.LENGTH || rangesLength % RangeDescriptors.LENGTH != 0
                || data.length < HEADER + rangesLength || dataLength < HEADER - 2 + rangesLength) {
            throw ScsiException.invalidFieldInParameterList(14, -1);
        }
        long timeout = CdbFields.u32(data, 4);
        if (timeout > RodTokens.MAX_INACTIVITY_SECONDS) {
            throw ScsiException.invalidFieldInParameterList(4, -1);
        }
        if ((data[2] & RTV) != 0 && CdbFields.u32(data, 8) != RodTokens.TYPE_ACCESS_UPON_REFERENCE) {
            throw ScsiException.invalidFieldInParameterList(8, -1);
        }
        List<RodTokens.Range> ranges = RangeDescriptors.parse(data, HEADER, rangesLength, cmd.lun());
        CopyOperation op = operations.start(cmd.nexus(),
                new CopyDescriptors(0x10, listId, true, List.of(), List.of()));
        RodTokens.Token token = tokens.create(ctx, ranges, (int) timeout);
        op.setRodToken(token.bytes);
        operations.end(op, CopyOperation.State.COMPLETED, null);
        log.debug("{}: ROD token for {} ranges, list {}", cmd.task(), ranges.size(), listId);
        cmd.complete();
    }
}

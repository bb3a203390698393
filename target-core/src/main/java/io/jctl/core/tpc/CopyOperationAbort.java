package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * COPY OPERATION ABORT (83h/1Ch): asks the initiator's copy with the given list identifier to stop; it stops before
 * its next chunk and its EXTENDED COPY ends with TASK ABORTED. An unknown list identifier is INVALID FIELD IN CDB.
 */
final class CopyOperationAbort implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CopyOperationAbort.class);

    private final LongSupplier nanoClock;

    CopyOperationAbort(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public void execute(Command cmd) {
        LunContext ctx = cmd.target().context(cmd.lun());
        if (ctx == null) {
            throw ScsiException.lunNotSupported();
        }
        long listId = CdbFields.u32(cmd.cdb(), 2);
        CopyOperation op = ctx.state(CopyOperations.class, () -> new CopyOperations(nanoClock))
                .find(cmd.nexus(), listId);
        if (op == null) {
            log.debug("{}: COPY OPERATION ABORT of unknown list {}", cmd.task(), listId);
            throw ScsiException.invalidFieldInCdb(2, -1);
        }
        op.requestAbort();
        log.info("{}: copy list {} asked to stop", cmd.task(), listId);
        cmd.complete();
    }
}

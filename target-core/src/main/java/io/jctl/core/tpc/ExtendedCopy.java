package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * EXTENDED COPY (LID1, 83h/00h, and LID4, 83h/01h): fetches the parameter list, checks it whole, registers the copy
 * with the LUN's {@link CopyOperations} and hands it to a {@link CopyJob}. The command ends when the copy does.
 */
final class ExtendedCopy implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(ExtendedCopy.class);

    private final LongSupplier nanoClock;

    ExtendedCopy(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        int serviceAction = cdb[1] & 0x1f;
        long length = CdbFields.u32(cdb, 10);
        if (length == 0) {
            cmd.complete();
            return;
        }
        int header = ParameterListParser.headerLength(serviceAction);
        if (length < header) {
            log.debug("{}: EXTENDED COPY parameter list of {} bytes has no room for its header", cmd.task(), length);
            throw ScsiException.parameterListLengthError();
        }
        if (length > header + CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH + CopyLimits.MAX_INLINE_DATA_LENGTH) {
            // Its descriptors cannot fit the maximum descriptor list length (SPC-4 6.4.3.5); nothing is fetched.
            log.debug("{}: EXTENDED COPY parameter list length {} exceeds the limit", cmd.task(), length);
            throw ScsiException.parameterListLengthError();
        }
        CopyOperations operations = ParameterList.operations(ParameterList.context(cmd), nanoClock);
        ParameterList.receive(cmd, length, data -> {
            CopyDescriptors list = ParameterListParser.parse(serviceAction, data);
            CopyOperation op = operations.start(cmd.nexus(), list);
            log.debug("{}: copy list {}: {} CSCDs, {} segments", cmd.task(), list.listId(), list.cscds().size(),
                    list.segments().size());
            CopyJob.start(cmd, list, operations, op);
        });
    }
}

package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.spc.DataIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * RECEIVE COPY RESULTS (84h): COPY STATUS (LID1, 00h), OPERATING PARAMETERS (03h), FAILURE DETAILS (LID1, 04h),
 * COPY STATUS (LID4, 05h) and RECEIVE ROD TOKEN INFORMATION (07h). A finished copy is forgotten once its status or failure details were returned; an
 * unknown list identifier is INVALID FIELD IN CDB at the list identifier, as in CTL.
 */
final class ReceiveCopyResults implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(ReceiveCopyResults.class);

    static final int COPY_STATUS_LID1 = 0x00;
    static final int OPERATING_PARAMETERS = 0x03;
    static final int FAILURE_DETAILS = 0x04;
    static final int COPY_STATUS_LID4 = 0x05;
    static final int ROD_TOKEN_INFORMATION = 0x07;

    /** COPY OPERATION STATUS codes. */
    private static final int IN_PROGRESS = 0x00;
    private static final int COMPLETED = 0x01;
    private static final int COMPLETED_WITH_ERRORS = 0x02;
    private static final int IN_PROGRESS_FOREGROUND = 0x11;
    private static final int TERMINATED = 0x60;
    /** TRANSFER COUNT UNITS. */
    private static final int UNITS_BYTES = 0x00;
    private static final int UNITS_MEBIBYTES = 0x02;

    private final LongSupplier nanoClock;

    ReceiveCopyResults(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        int serviceAction = cdb[1] & 0x1f;
        long alloc = CdbFields.u32(cdb, 10);
        if (serviceAction == OPERATING_PARAMETERS) {
            DataIn.reply(cmd, operatingParameters(), alloc);
            return;
        }
        LunContext ctx = cmd.target().context(cmd.lun());
        if (ctx == null) {
            throw ScsiException.lunNotSupported();
        }
        CopyOperations operations = ctx.state(CopyOperations.class, () -> new CopyOperations(nanoClock));
        long listId = serviceAction == COPY_STATUS_LID4 || serviceAction == ROD_TOKEN_INFORMATION
                ? CdbFields.u32(cdb, 2) : CdbFields.u8(cdb, 2);
        CopyOperation op = operations.find(cmd.nexus(), listId);
        if (op == null || serviceAction == FAILURE_DETAILS && !op.ended()) {
            log.debug("{}: no {} copy list {} for this initiator", cmd.task(), op == null ? "known" : "finished",
                    listId);
            throw ScsiException.invalidFieldInCdb(2, -1);
        }
        byte[] sense = op.sense() == null ? new byte[0]
                : op.sense().encode(cmd.lun().modePages().descriptorSense(), 0);
        byte[] data = switch (serviceAction) {
            case COPY_STATUS_LID1 -> statusLid1(op);
            case FAILURE_DETAILS -> failureDetails(op, sense);
            case ROD_TOKEN_INFORMATION -> rodTokenInformation(op, sense);
            default -> statusLid4(op, sense);
        };
        operations.forget(op);
        DataIn.reply(cmd, data, alloc);
    }

    static byte[] operatingParameters() {
        int[] descriptors = {CopyLimits.SEGMENT_BLOCK_TO_BLOCK, CopyLimits.SEGMENT_VERIFY_CSCD,
            CopyLimits.CSCD_IDENTIFICATION};
        byte[] b = new byte[44 + descriptors.length];
        CdbFields.put32(b, 0, b.length - 4);
        b[4] = 0x01; // SNLID: lists without a list identifier are supported
        CdbFields.put16(b, 8, CopyLimits.MAX_CSCD_DESCRIPTORS);
        CdbFields.put16(b, 10, CopyLimits.MAX_SEGMENT_DESCRIPTORS);
        CdbFields.put32(b, 12, CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH);
        CdbFields.put32(b, 16, CopyLimits.MAX_SEGMENT_LENGTH);
        CdbFields.put32(b, 20, CopyLimits.MAX_INLINE_DATA_LENGTH);
        // held data limit 0 and maximum stream device transfer size 0: no held data, no streams
        CdbFields.put16(b, 34, CopyLimits.MAX_CONCURRENT_COPIES);
        b[36] = (byte) CopyLimits.MAX_CONCURRENT_COPIES;
        b[43] = (byte) descriptors.length;
        for (int i = 0; i < descriptors.length; i++) {
            b[44 + i] = (byte) descriptors[i];
        }
        return b;
    }

    private static byte[] statusLid1(CopyOperation op) {
        byte[] b = new byte[12];
        CdbFields.put32(b, 0, b.length - 4);
        b[4] = (byte) switch (op.state()) {
            case IN_PROGRESS -> IN_PROGRESS;
            case COMPLETED -> COMPLETED;
            case FAILED, ABORTED -> COMPLETED_WITH_ERRORS;
        };
        CdbFields.put16(b, 5, Math.min(op.segmentsProcessed(), 0xffff));
        long bytes = op.bytesTransferred();
        if (bytes <= 0xffff_ffffL) {
            b[7] = UNITS_BYTES;
            CdbFields.put32(b, 8, bytes);
        } else {
            b[7] = UNITS_MEBIBYTES;
            CdbFields.put32(b, 8, bytes >>> 20);
        }
        return b;
    }

    private static byte[] failureDetails(CopyOperation op, byte[] sense) {
        boolean failed = op.state() == CopyOperation.State.FAILED || op.state() == CopyOperation.State.ABORTED;
        byte[] b = new byte[60 + sense.length];
        CdbFields.put32(b, 0, failed ? b.length - 4 : 0);
        if (failed) {
            b[56] = COMPLETED_WITH_ERRORS;
        }
        CdbFields.put16(b, 58, sense.length);
        System.arraycopy(sense, 0, b, 60, sense.length);
        return b;
    }

    /** The LID4 status, then the ROD token descriptors: length, 2 reserved bytes and the 512-byte token. */
    private static byte[] rodTokenInformation(CopyOperation op, byte[] sense) {
        byte[] status = statusLid4(op, sense);
        byte[] token = op.rodToken();
        int tokenLength = token == null ? 0 : 2 + token.length;
        byte[] b = java.util.Arrays.copyOf(status, status.length + 4 + tokenLength);
        CdbFields.put32(b, 0, b.length - 4);
        CdbFields.put32(b, status.length, tokenLength);
        if (token != null) {
            System.arraycopy(token, 0, b, status.length + 6, token.length);
        }
        return b;
    }

    private static byte[] statusLid4(CopyOperation op, byte[] sense) {
        byte[] b = new byte[32 + sense.length];
        CdbFields.put32(b, 0, b.length - 4);
        b[4] = (byte) op.serviceAction();
        b[5] = (byte) switch (op.state()) {
            case IN_PROGRESS -> IN_PROGRESS_FOREGROUND;
            case COMPLETED -> COMPLETED;
            case FAILED -> COMPLETED_WITH_ERRORS;
            case ABORTED -> TERMINATED;
        };
        CdbFields.put16(b, 6, Math.min(op.operations(), 0xffff));
        CdbFields.put32(b, 8, 0xffff_ffffL); // no estimate of the next status update
        SenseData s = op.sense();
        if (op.ended()) {
            b[12] = (byte) (s == null ? 0x00 : 0x02); // the EXTENDED COPY's status: GOOD or CHECK CONDITION
        }
        b[13] = (byte) sense.length;
        b[14] = (byte) sense.length;
        b[15] = UNITS_BYTES;
        CdbFields.put64(b, 16, op.bytesTransferred());
        CdbFields.put16(b, 24, Math.min(op.segmentsProcessed(), 0xffff));
        System.arraycopy(sense, 0, b, 32, sense.length);
        return b;
    }
}

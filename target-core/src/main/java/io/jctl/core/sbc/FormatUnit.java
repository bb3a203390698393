package io.jctl.core.sbc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.scsi.ScsiException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FORMAT UNIT (04h), as CTL: there is nothing to format, so it succeeds without touching the data, provided the
 * initiator sends no defect list. With FMTDATA the parameter list header (4 bytes, or 8 with LONGLIST) is
 * fetched and a non-zero DEFECT LIST LENGTH is refused with INVALID FIELD IN PARAMETER LIST; an initialization
 * pattern or IMMED in the header change nothing.
 */
public final class FormatUnit implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(FormatUnit.class);

    static final int FMTDATA = 0x10;
    static final int LONGLIST = 0x20;

    @Override
    public void execute(Command cmd) {
        int flags = cmd.cdb()[1] & 0xff;
        if ((flags & FMTDATA) == 0) {
            cmd.task().setCommandDataLength(0);
            done(cmd);
            return;
        }
        boolean longList = (flags & LONGLIST) != 0;
        int length = longList ? 8 : 4;
        cmd.task().setCommandDataLength(length);
        cmd.receiveData(length).whenComplete((header, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            try {
                if (header.readableBytes() < length) {
                    log.debug("{}: FORMAT UNIT parameter header of {} bytes", cmd.task(), header.readableBytes());
                    cmd.fail(ScsiException.parameterListLengthError());
                    return;
                }
                byte[] h = new byte[length];
                header.getBytes(header.readerIndex(), h);
                long defects = longList ? CdbFields.u32(h, 4) : CdbFields.u16(h, 2);
                if (defects != 0) {
                    log.debug("{}: FORMAT UNIT with a defect list of {} bytes", cmd.task(), defects);
                    cmd.fail(ScsiException.invalidFieldInParameterList(longList ? 4 : 2, -1));
                    return;
                }
            } finally {
                header.release();
            }
            done(cmd);
        });
    }

    private static void done(Command cmd) {
        log.info("{}: FORMAT UNIT by {} (nothing to format)", cmd.lun(), cmd.nexus().initiatorPort());
        cmd.complete();
    }
}

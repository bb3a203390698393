package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;

import java.time.Clock;

/**
 * REPORT TIMESTAMP (A3h/0Fh): the host's clock in milliseconds since the epoch, 48 bits, with TIMESTAMP ORIGIN
 * 011b (set outside the SCSI domain), as CTL. SET TIMESTAMP is not offered, so the origin never changes.
 */
public final class ReportTimestamp implements CommandHandler {
    /** TIMESTAMP ORIGIN: initialized by a method outside the SCSI domain. */
    static final int ORIGIN_OUTSIDE = 0x03;

    private final Clock clock;

    public ReportTimestamp() {
        this(Clock.systemUTC());
    }

    ReportTimestamp(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void execute(Command cmd) {
        byte[] data = new byte[12];
        CdbFields.put16(data, 0, data.length - 2);
        data[2] = ORIGIN_OUTSIDE;
        long millis = clock.millis();
        CdbFields.put32(data, 4, millis >>> 16);
        CdbFields.put16(data, 8, (int) millis);
        DataIn.reply(cmd, data, CdbFields.u32(cmd.cdb(), 6));
    }
}

package io.jctl.core.sbc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SYNCHRONIZE CACHE (10/16): the range is checked against the capacity (number of blocks 0 means "to the end"),
 * then the whole LUN is flushed, as CTL does. IMMED returns status first and flushes behind it.
 */
public final class SynchronizeCache implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(SynchronizeCache.class);

    static final int IMMED = 0x02;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean sixteen = (cdb[0] & 0xff) == 0x91;
        long lba = sixteen ? CdbFields.u64(cdb, 2) : CdbFields.u32(cdb, 2);
        long blocks = sixteen ? CdbFields.u32(cdb, 10) : CdbFields.u16(cdb, 7);
        Lun lun = cmd.lun();
        BlockRange.checkCapacity(lun, lba, blocks);
        cmd.task().setCommandDataLength(0);
        boolean immediate = (cdb[1] & IMMED) != 0;
        var flushed = lun.storage().flush();
        if (immediate) {
            cmd.complete();
            flushed.whenComplete((v, err) -> {
                if (err != null) {
                    log.warn("{}: background cache flush failed: {}", lun, Futures.unwrap(err).toString());
                }
            });
            return;
        }
        flushed.whenComplete((v, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
            } else {
                cmd.complete();
            }
        });
    }
}

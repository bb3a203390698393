package io.jctl.core.sbc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * PRE-FETCH (10) and (16), SBC-4 5.8 (CTL has no such command). The range is checked against the capacity
 * (PREFETCH LENGTH 0 means "to the last block", so then only the LBA must lie on the medium); the backend brings
 * it into its cache. CONDITION MET says the whole range is cached (always so on a RAM disk), GOOD that it is not.
 * With IMMED the status is given at once from what is known then, and the backend goes on behind it.
 */
public final class PreFetch implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(PreFetch.class);

    static final int IMMED = 0x02;

    @Override
    public void execute(Command cmd) {
        BlockRange range = BlockRange.of(cmd.cdb());
        Lun lun = cmd.lun();
        long count = lun.storage().blockCount();
        long blocks = range.blocks();
        if (blocks == 0) {
            if (Long.compareUnsigned(range.lba(), count) >= 0) {
                throw ScsiException.lbaOutOfRange(range.lba());
            }
            blocks = count - range.lba();
        } else {
            range.checkCapacity(lun);
        }
        cmd.task().setCommandDataLength(0);
        CompletableFuture<Boolean> cached = lun.storage().prefetch(range.lba(), blocks);
        if ((cmd.cdb()[1] & IMMED) != 0) {
            answer(cmd, cached.isDone() && !cached.isCompletedExceptionally() && cached.join());
            cached.whenComplete((inCache, err) -> {
                if (err != null) {
                    log.warn("{}: background pre-fetch failed: {}", lun, Futures.unwrap(err).toString());
                }
            });
            return;
        }
        cached.whenComplete((inCache, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
            } else {
                answer(cmd, inCache);
            }
        });
    }

    private static void answer(Command cmd, boolean inCache) {
        if (inCache) {
            cmd.conditionMet();
        } else {
            cmd.complete();
        }
    }
}

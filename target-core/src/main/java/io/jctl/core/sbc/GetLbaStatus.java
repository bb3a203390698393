package io.jctl.core.sbc;

import io.jctl.core.backend.LbaStatus;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.spc.DataIn;

import java.util.concurrent.CompletableFuture;

/**
 * GET LBA STATUS (SBC-4 5.6, ctl-facts §5.1): one LBA status descriptor starting at the requested LBA with the
 * provisioning status the storage reports and the length of the run sharing it. An LBA past the end gets
 * LOGICAL BLOCK ADDRESS OUT OF RANGE. A fully provisioned LUN (unmap off) reports every block mapped.
 */
public final class GetLbaStatus implements CommandHandler {
    /** Header (8) plus one descriptor (16). */
    static final int LENGTH = 24;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        long lba = CdbFields.u64(cdb, 2);
        long allocationLength = CdbFields.u32(cdb, 10);
        Lun lun = cmd.lun();
        long count = lun.storage().blockCount();
        if (Long.compareUnsigned(lba, count) >= 0) {
            throw ScsiException.lbaOutOfRange(lba);
        }
        CompletableFuture<LbaStatus> status = Provisioning.of(lun).enabled()
                ? lun.storage().lbaStatus(lba)
                : CompletableFuture.completedFuture(new LbaStatus(LbaStatus.State.MAPPED, count - lba));
        status.whenComplete((s, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            byte[] b = new byte[LENGTH];
            CdbFields.put32(b, 0, LENGTH - 4);
            CdbFields.put64(b, 8, lba);
            CdbFields.put32(b, 16, Math.min(s.blocks(), Provisioning.MAX_32));
            b[20] = (byte) s.state().code();
            DataIn.reply(cmd, b, allocationLength);
        });
    }
}

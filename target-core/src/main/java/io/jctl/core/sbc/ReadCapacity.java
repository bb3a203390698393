package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.spc.DataIn;

/**
 * READ CAPACITY (10) and (16). The 10-byte form reports FFFFFFFFh when the last LBA does not fit in 32 bits,
 * telling the initiator to use the 16-byte form, which adds the physical block exponent, the lowest aligned LBA
 * and the thin provisioning bits: LBPME when the LUN deallocates (unmap on), LBPRZ when deallocated blocks read as
 * zeros.
 */
public final class ReadCapacity implements CommandHandler {
    private final boolean sixteen;

    public ReadCapacity(boolean sixteen) {
        this.sixteen = sixteen;
    }

    @Override
    public void execute(Command cmd) {
        Lun lun = cmd.lun();
        BackendLun storage = lun.storage();
        long lastLba = Math.max(0, storage.blockCount() - 1);
        if (!sixteen) {
            byte[] b = new byte[8];
            CdbFields.put32(b, 0, Math.min(lastLba, 0xffffffffL));
            CdbFields.put32(b, 4, storage.blockSize());
            DataIn.reply(cmd, b, b.length);
            return;
        }
        byte[] b = new byte[32];
        CdbFields.put64(b, 0, lastLba);
        CdbFields.put32(b, 8, storage.blockSize());
        b[13] = (byte) Geometry.physicalBlockExponent(lun);
        CdbFields.put16(b, 14, Geometry.lowestAlignedLba(lun) & 0x3fff);
        Provisioning provisioning = Provisioning.of(lun);
        if (provisioning.enabled()) {
            b[14] |= (byte) (0x80 | (provisioning.readsZeros() ? 0x40 : 0)); // LBPME, LBPRZ
        }
        DataIn.reply(cmd, b, CdbFields.u32(cmd.cdb(), 10));
    }
}

package io.jctl.core.spc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.mode.ModePages;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * MODE SENSE (6) and (10): the mode parameter header (WP when the LUN is write protected, DPOFUA on disks), a
 * block descriptor on disks unless DBD (16 bytes with LLBAA on the 10-byte form), then the requested pages in
 * the requested image (current, changeable, default, saved). Page 3Fh means all pages, subpage FFh all
 * subpages.
 */
public final class ModeSense implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(ModeSense.class);

    static final int DBD = 0x08;
    static final int LLBAA = 0x10;
    static final int WP = 0x80;
    static final int DPOFUA = 0x10;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean ten = (cdb[0] & 0xff) == 0x5a;
        boolean dbd = (cdb[1] & DBD) != 0;
        boolean llbaa = ten && (cdb[1] & LLBAA) != 0;
        ModePages.PageControl pc = ModePages.PageControl.fromCode((cdb[2] >> 6) & 0x03);
        int page = cdb[2] & 0x3f;
        int subpage = cdb[3] & 0xff;
        int alloc = ten ? CdbFields.u16(cdb, 7) : CdbFields.u8(cdb, 4);

        Lun lun = cmd.lun();
        ModePages modePages = lun.modePages();
        boolean disk = lun.type() == LunType.DIRECT;
        if (disk) {
            modePages.updateGeometry(lun.storage().blockSize(), lun.storage().blockCount());
        }
        if (page != ModePages.ALL_PAGES && !modePages.hasPageCode(page)) {
            log.debug("{}: MODE SENSE of unsupported page 0x{}", cmd.task(), Integer.toHexString(page));
            throw ScsiException.invalidFieldInCdb(2, 5);
        }
        List<byte[]> pages = modePages.sense(page, subpage, pc);
        if (pages.isEmpty()) {
            log.debug("{}: MODE SENSE of unsupported subpage 0x{}/0x{}", cmd.task(), Integer.toHexString(page),
                    Integer.toHexString(subpage));
            throw ScsiException.invalidFieldInCdb(3, -1);
        }
        byte[] descriptor = disk && !dbd ? blockDescriptor(lun.storage(), llbaa) : new byte[0];
        int headerLength = ten ? 8 : 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[headerLength], 0, headerLength);
        out.writeBytes(descriptor);
        pages.forEach(out::writeBytes);
        byte[] data = out.toByteArray();
        int deviceSpecific = (lun.writeProtected() ? WP : 0) | (disk ? DPOFUA : 0);
        if (ten) {
            CdbFields.put16(data, 0, data.length - 2);
            data[3] = (byte) deviceSpecific;
            data[4] = (byte) (llbaa && descriptor.length > 0 ? 0x01 : 0x00); // LONGLBA
            CdbFields.put16(data, 6, descriptor.length);
        } else {
            data[0] = (byte) Math.min(0xff, data.length - 1);
            data[2] = (byte) deviceSpecific;
            data[3] = (byte) descriptor.length;
        }
        DataIn.reply(cmd, data, alloc);
    }

    /**
     * The direct-access block descriptor: number of blocks (capped at FFFFFFFFh in the short form) and block
     * length.
     */
    static byte[] blockDescriptor(BackendLun storage, boolean longLba) {
        long blocks = storage.blockCount();
        if (longLba) {
            byte[] d = new byte[16];
            CdbFields.put64(d, 0, blocks);
            CdbFields.put32(d, 12, storage.blockSize());
            return d;
        }
        byte[] d = new byte[8];
        CdbFields.put32(d, 0, Math.min(blocks, 0xffffffffL));
        d[5] = (byte) (storage.blockSize() >> 16);
        d[6] = (byte) (storage.blockSize() >> 8);
        d[7] = (byte) storage.blockSize();
        return d;
    }
}

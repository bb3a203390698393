package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunIdentity;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INQUIRY: standard data (ctl-facts §4.1) or, with EVPD, one vital product data page ({@link VpdPages}).
 */
public final class Inquiry implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(Inquiry.class);

    /** Standard data is 96 bytes: additional length 91. */
    static final int STANDARD_LENGTH = 96;

    /*
     * Claims are SPC-4 level throughout (VERSION 06h, SAM-5, SPC-4, SBC-3) rather than SPC-5/SBC-4: libiscsi's
     * conformance suite (the project's bar) fails any VERSION other than 04h-06h and judges the block limits page
     * by an SBC-3 (04C0h) descriptor; Linux treats these levels alike.
     */
    static final int VERSION_SPC4 = 0x06;

    static final int VERSION_SAM5 = 0x00a0;
    static final int VERSION_SPC4_DESCRIPTOR = 0x0460;
    static final int VERSION_ISCSI = 0x0960;
    static final int VERSION_FCP4 = 0x0a40;
    static final int VERSION_SBC3 = 0x04c0;
    static final int VERSION_MMC6 = 0x04e0;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean evpd = (cdb[1] & 0x01) != 0;
        int pageCode = cdb[2] & 0xff;
        int alloc = CdbFields.u16(cdb, 3);
        if (!evpd) {
            if (pageCode != 0) {
                log.debug("{}: INQUIRY page code {} without EVPD", cmd.task(), pageCode);
                throw ScsiException.invalidFieldInCdb(2, -1);
            }
            DataIn.reply(cmd, standard(cmd.lun(), cmd.port()), alloc);
            return;
        }
        byte[] page = VpdPages.page(cmd, pageCode);
        if (page == null) {
            log.debug("{}: unsupported VPD page 0x{}", cmd.task(), Integer.toHexString(pageCode));
            throw ScsiException.invalidFieldInCdb(2, -1);
        }
        DataIn.reply(cmd, page, alloc);
    }

    /** Peripheral qualifier and device type byte: 7Fh (qualifier 3, type 1Fh) when there is no LUN. */
    static int peripheral(Lun lun) {
        return lun == null ? 0x7f : lun.type().code();
    }

    static byte[] standard(Lun lun, Port port) {
        byte[] b = new byte[STANDARD_LENGTH];
        b[0] = (byte) peripheral(lun);
        b[1] = (byte) (lun != null && lun.removable() ? 0x80 : 0x00); // RMB
        b[2] = (byte) VERSION_SPC4;
        b[3] = 0x12; // HISUP, response data format 2
        b[4] = (byte) (STANDARD_LENGTH - 5);
        b[5] = 0x18; // TPGS 01b: implicit ALUA; 3PC: EXTENDED COPY is served
        b[6] = 0x10; // MULTIP
        b[7] = 0x02; // CMDQUE
        LunIdentity id = lun == null ? null : lun.identity();
        DataIn.putAscii(b, 8, 8, id == null ? "" : id.vendor());
        DataIn.putAscii(b, 16, 16, id == null ? "" : id.product());
        DataIn.putAscii(b, 32, 4, id == null ? "" : id.revision());
        int d = 58;
        CdbFields.put16(b, d, VERSION_SAM5);
        d += 2;
        CdbFields.put16(b, d, VERSION_SPC4_DESCRIPTOR);
        d += 2;
        int transport = port == null ? 0 : switch (port.frontend()) {
            case "iscsi" -> VERSION_ISCSI;
            case "fc" -> VERSION_FCP4;
            default -> 0;
        };
        if (transport != 0) {
            CdbFields.put16(b, d, transport);
            d += 2;
        }
        if (lun != null && lun.type() == LunType.DIRECT) {
            CdbFields.put16(b, d, VERSION_SBC3);
        } else if (lun != null && lun.type() == LunType.CDROM) {
            CdbFields.put16(b, d, VERSION_MMC6);
        }
        return b;
    }
}

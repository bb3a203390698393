package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * REPORT IDENTIFYING INFORMATION (A3h/05h), SPC-4 6.32. Type 0 (peripheral device identifying information)
 * returns the {@code ident_info} LUN option, type 2 (text) the {@code text_ident_info} option as null-terminated
 * UTF-8; both padded to a multiple of 4 and empty when the option is unset, as CTL. Type 7Fh lists the two
 * types with their maximum lengths. SET IDENTIFYING INFORMATION is not offered: the options are set by the
 * administrator.
 */
public final class ReportIdentifyingInformation implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(ReportIdentifyingInformation.class);

    static final int PERIPHERAL = 0x00;
    static final int TEXT = 0x02;
    static final int SUPPORTED_TYPES = 0x7f;
    /** SPC-4 limits of the two types. */
    static final int MAX_PERIPHERAL = 512;
    static final int MAX_TEXT = 256;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        int type = (cdb[10] & 0xff) >> 1;
        long alloc = CdbFields.u32(cdb, 6);
        Lun lun = cmd.lun();
        byte[] info = switch (type) {
            case PERIPHERAL -> bytes(lun.option("ident_info", ""), false, MAX_PERIPHERAL);
            case TEXT -> bytes(lun.option("text_ident_info", ""), true, MAX_TEXT);
            case SUPPORTED_TYPES -> supportedTypes();
            default -> {
                log.debug("{}: REPORT IDENTIFYING INFORMATION of type 0x{}", cmd.task(), Integer.toHexString(type));
                throw ScsiException.invalidFieldInCdb(10, 7);
            }
        };
        byte[] data = new byte[4 + info.length];
        CdbFields.put16(data, 2, info.length);
        System.arraycopy(info, 0, data, 4, info.length);
        DataIn.reply(cmd, data, alloc);
    }

    /**
     * The option's bytes, cut to {@code max} (text keeps room for its terminating null) and padded with zeros to
     * a multiple of 4.
     */
    private static byte[] bytes(String value, boolean text, int max) {
        if (value.isEmpty()) {
            return new byte[0];
        }
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(raw.length, text ? max - 1 : max) + (text ? 1 : 0);
        byte[] out = new byte[(length + 3) & ~3];
        System.arraycopy(raw, 0, out, 0, Math.min(raw.length, text ? max - 1 : max));
        return out;
    }

    private static byte[] supportedTypes() {
        byte[] d = new byte[8];
        d[0] = PERIPHERAL << 1;
        CdbFields.put16(d, 2, MAX_PERIPHERAL);
        d[4] = TEXT << 1;
        CdbFields.put16(d, 6, MAX_TEXT);
        return d;
    }
}

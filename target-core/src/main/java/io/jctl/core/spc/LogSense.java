package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.OptionValues;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.stats.IoCounters;
import io.jctl.core.stats.IoType;
import io.jctl.core.stats.StatsSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * LOG SENSE (4Dh) with CTL's pages (ctl-facts §4.4): supported pages (00h), supported pages and subpages
 * (00h/FFh), temperature (0Dh, from the {@code temperature} and {@code reftemperature} options, FFh when unset),
 * general statistics and performance (19h, from the LUN's statistics) and informational exceptions (2Fh). The
 * logical block provisioning page (0Ch) needs used/available block counts the backends do not export, so it is
 * not listed. Every page is current cumulative data whatever the PC field says; the parameter pointer is
 * ignored and LOG SELECT is not offered, as in CTL.
 */
public final class LogSense implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(LogSense.class);

    static final int SUPPORTED_PAGES = 0x00;
    static final int TEMPERATURE = 0x0d;
    static final int STATISTICS_AND_PERFORMANCE = 0x19;
    static final int INFORMATIONAL_EXCEPTIONS = 0x2f;
    static final int ALL_SUBPAGES = 0xff;
    /** Page code byte: subpage format (SPF). */
    static final int SPF = 0x40;
    /** Parameter control byte: binary list format (FORMAT AND LINKING 11b). */
    static final int BINARY = 0x03;
    /** Value of a temperature nobody configured. */
    static final int NO_TEMPERATURE = 0xff;

    /** Page code and subpage of every page, in the order the supported lists give them. */
    static final List<int[]> PAGES = List.of(new int[] {SUPPORTED_PAGES, 0}, new int[] {SUPPORTED_PAGES, ALL_SUBPAGES},
            new int[] {TEMPERATURE, 0}, new int[] {STATISTICS_AND_PERFORMANCE, 0},
            new int[] {INFORMATIONAL_EXCEPTIONS, 0});

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        int page = cdb[2] & 0x3f;
        int subpage = cdb[3] & 0xff;
        byte[] body = body(cmd, page, subpage);
        if (body == null) {
            log.debug("{}: LOG SENSE of unsupported page 0x{}/0x{}", cmd.task(), Integer.toHexString(page),
                    Integer.toHexString(subpage));
            throw ScsiException.invalidFieldInCdb(subpage == 0 || !known(page) ? 2 : 3, -1);
        }
        byte[] data = new byte[4 + body.length];
        data[0] = (byte) (page | (subpage != 0 ? SPF : 0));
        data[1] = (byte) subpage;
        CdbFields.put16(data, 2, body.length);
        System.arraycopy(body, 0, data, 4, body.length);
        DataIn.reply(cmd, data, CdbFields.u16(cdb, 7));
    }

    private static boolean known(int page) {
        return PAGES.stream().anyMatch(p -> p[0] == page);
    }

    /** The parameters of a page, or null when it is not one of {@link #PAGES}. */
    private static byte[] body(Command cmd, int page, int subpage) {
        if (subpage == ALL_SUBPAGES && page == SUPPORTED_PAGES) {
            byte[] b = new byte[2 * PAGES.size()];
            for (int i = 0; i < PAGES.size(); i++) {
                b[2 * i] = (byte) PAGES.get(i)[0];
                b[2 * i + 1] = (byte) PAGES.get(i)[1];
            }
            return b;
        }
        if (subpage != 0) {
            return null;
        }
        return switch (page) {
            case SUPPORTED_PAGES -> supportedPages();
            case TEMPERATURE -> temperature(cmd.lun());
            case STATISTICS_AND_PERFORMANCE -> statistics(cmd);
            case INFORMATIONAL_EXCEPTIONS -> informationalExceptions(cmd.lun());
            default -> null;
        };
    }

    private static byte[] supportedPages() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] p : PAGES) {
            if (p[1] == 0) {
                out.write(p[0]);
            }
        }
        return out.toByteArray();
    }

    /** Parameters 0000h (temperature) and 0001h (reference temperature), °C, FFh when not configured. */
    static byte[] temperature(Lun lun) {
        byte[] b = new byte[12];
        parameter(b, 0, 0x0000, 2);
        b[5] = (byte) celsius(lun, "temperature");
        parameter(b, 6, 0x0001, 2);
        b[11] = (byte) celsius(lun, "reftemperature");
        return b;
    }

    private static int celsius(Lun lun, String option) {
        long v = OptionValues.number(lun.options(), option, NO_TEMPERATURE);
        return v < 0 || v > 0xfe ? NO_TEMPERATURE : (int) v;
    }

    /**
     * Parameter 0001h, general access statistics and performance: read and write commands, blocks received and
     * sent, and the time spent on reads and writes, in the units of parameter 0003h (milliseconds); the
     * weighted counts are not kept (0). Parameter 0003h: time interval 10^-3 s. Idle time (0002h) is not
     * tracked, so it is not reported.
     */
    static byte[] statistics(Command cmd) {
        StatsSnapshot s = cmd.context().stats().snapshot();
        IoCounters reads = s.get(IoType.READ);
        IoCounters writes = s.get(IoType.WRITE);
        int blockSize = cmd.lun().storage().blockSize();
        byte[] b = new byte[4 + 0x40 + 4 + 8];
        parameter(b, 0, 0x0001, 0x40);
        CdbFields.put64(b, 4, reads.operations());
        CdbFields.put64(b, 12, writes.operations());
        CdbFields.put64(b, 20, writes.bytes() / blockSize);
        CdbFields.put64(b, 28, reads.bytes() / blockSize);
        CdbFields.put64(b, 36, reads.timeNanos() / 1_000_000);
        CdbFields.put64(b, 44, writes.timeNanos() / 1_000_000);
        parameter(b, 68, 0x0003, 8);
        CdbFields.put32(b, 72, 3); // exponent: 10^-3 s
        CdbFields.put32(b, 76, 1); // integer
        return b;
    }

    /** Parameter 0000h: no exception pending (ASC/ASCQ 0), most recent temperature from the option. */
    static byte[] informationalExceptions(Lun lun) {
        byte[] b = new byte[4 + 3];
        parameter(b, 0, 0x0000, 3);
        b[6] = (byte) celsius(lun, "temperature");
        return b;
    }

    private static void parameter(byte[] b, int off, int code, int length) {
        CdbFields.put16(b, off, code);
        b[off + 2] = BINARY;
        b[off + 3] = (byte) length;
    }
}

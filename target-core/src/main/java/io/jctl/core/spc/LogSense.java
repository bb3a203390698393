package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.lun.OptionValues;
import io.jctl.core.sbc.BlockVpdPages;
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
 * (00h/FFh), logical block provisioning (0Ch, on disks whose storage counts its used or available blocks),
 * temperature (0Dh, from the {@code temperature} and {@code reftemperature} options, FFh when unset), general
 * statistics and performance (19h, from the LUN's statistics) and informational exceptions (2Fh). Every page is
 * current cumulative data whatever the PC field says; the parameter pointer is ignored and LOG SELECT is not
 * offered, as in CTL.
 */
public final class LogSense implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(LogSense.class);

    static final int SUPPORTED_PAGES = 0x00;
    static final int LOGICAL_BLOCK_PROVISIONING = 0x0c;
    static final int TEMPERATURE = 0x0d;
    static final int STATISTICS_AND_PERFORMANCE = 0x19;
    static final int INFORMATIONAL_EXCEPTIONS = 0x2f;
    static final int ALL_SUBPAGES = 0xff;
    /** Page code byte: subpage format (SPF). */
    static final int SPF = 0x40;
    /** Page code byte: parameters cannot be saved (DS); CTL sets it on the provisioning page. */
    static final int DS = 0x80;
    /** LBP parameter scope: the resource is dedicated to this LUN. */
    static final int DEDICATED = 0x01;
    /** Parameter control byte: binary list format (FORMAT AND LINKING 11b). */
    static final int BINARY = 0x03;
    /** Value of a temperature nobody configured. */
    static final int NO_TEMPERATURE = 0xff;

    /** Page code and subpage of every page a LUN may have, in the order the supported lists give them. */
    static final List<int[]> PAGES = List.of(new int[] {SUPPORTED_PAGES, 0}, new int[] {SUPPORTED_PAGES, ALL_SUBPAGES},
            new int[] {LOGICAL_BLOCK_PROVISIONING, 0}, new int[] {TEMPERATURE, 0},
            new int[] {STATISTICS_AND_PERFORMANCE, 0}, new int[] {INFORMATIONAL_EXCEPTIONS, 0});

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        int page = cdb[2] & 0x3f;
        int subpage = cdb[3] & 0xff;
        byte[] body = has(cmd.lun(), page, subpage) ? body(cmd, page, subpage) : null;
        if (body == null) {
            log.debug("{}: LOG SENSE of unsupported page 0x{}/0x{}", cmd.task(), Integer.toHexString(page),
                    Integer.toHexString(subpage));
            throw ScsiException.invalidFieldInCdb(subpage == 0 || !known(page) ? 2 : 3, -1);
        }
        byte[] data = new byte[4 + body.length];
        data[0] = (byte) (page | (subpage != 0 ? SPF : 0) | (page == LOGICAL_BLOCK_PROVISIONING ? DS : 0));
        data[1] = (byte) subpage;
        CdbFields.put16(data, 2, body.length);
        System.arraycopy(body, 0, data, 4, body.length);
        DataIn.reply(cmd, data, CdbFields.u16(cdb, 7));
    }

    private static boolean known(int page) {
        return PAGES.stream().anyMatch(p -> p[0] == page);
    }

    /** True when the LUN has this page: all of {@link #PAGES}, the provisioning page only where it has counts. */
    static boolean has(Lun lun, int page, int subpage) {
        if (page == LOGICAL_BLOCK_PROVISIONING && !countsProvisioning(lun)) {
            return false;
        }
        return PAGES.stream().anyMatch(p -> p[0] == page && p[1] == subpage);
    }

    private static boolean countsProvisioning(Lun lun) {
        return lun.type() == LunType.DIRECT
                && (lun.storage().blocksUsed() >= 0 || lun.storage().blocksAvailable() >= 0);
    }

    /** The parameters of a page the LUN has. */
    private static byte[] body(Command cmd, int page, int subpage) {
        Lun lun = cmd.lun();
        if (subpage == ALL_SUBPAGES) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int[] p : PAGES) {
                if (has(lun, p[0], p[1])) {
                    out.write(p[0]);
                    out.write(p[1]);
                }
            }
            return out.toByteArray();
        }
        return switch (page) {
            case SUPPORTED_PAGES -> supportedPages(lun);
            case LOGICAL_BLOCK_PROVISIONING -> logicalBlockProvisioning(lun);
            case TEMPERATURE -> temperature(cmd.lun());
            case STATISTICS_AND_PERFORMANCE -> statistics(cmd);
            case INFORMATIONAL_EXCEPTIONS -> informationalExceptions(cmd.lun());
            default -> throw new IllegalStateException("page 0x" + Integer.toHexString(page) + " has no body");
        };
    }

    private static byte[] supportedPages(Lun lun) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] p : PAGES) {
            if (p[1] == 0 && has(lun, p[0], 0)) {
                out.write(p[0]);
            }
        }
        return out.toByteArray();
    }

    /**
     * Parameters 0001h (available) and 0002h (used LBA mapping resources), each present when the storage counts
     * it, in units of 2^{@link BlockVpdPages#THRESHOLD_EXPONENT} blocks as the provisioning VPD page announces,
     * scope "dedicated to this LUN".
     */
    static byte[] logicalBlockProvisioning(Lun lun) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long available = lun.storage().blocksAvailable();
        long used = lun.storage().blocksUsed();
        if (available >= 0) {
            out.writeBytes(resourceCount(0x0001, available));
        }
        if (used >= 0) {
            out.writeBytes(resourceCount(0x0002, used));
        }
        return out.toByteArray();
    }

    private static byte[] resourceCount(int code, long blocks) {
        byte[] p = new byte[12];
        parameter(p, 0, code, 8);
        CdbFields.put32(p, 4, Math.min(0xffffffffL, blocks >>> BlockVpdPages.THRESHOLD_EXPONENT));
        p[8] = DEDICATED;
        return p;
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

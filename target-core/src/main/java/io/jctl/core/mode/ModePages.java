package io.jctl.core.mode;

import io.jctl.core.lun.LunType;
import io.jctl.core.lun.OptionValues;
import io.jctl.core.scsi.ScsiException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A LUN's mode parameters: for every supported page its current, saved, default and changeable images, as the
 * bytes MODE SENSE returns (ctl-facts §4.3). Saved images live in RAM only, as in CTL. MODE SELECT goes through
 * {@link #select}, which accepts a change only where the changeable image has a one bit.
 *
 * <p>The engine reads the few settings that steer ordering, sense format and write handling through the
 * accessors ({@link #descriptorSense()}, {@link #writeCacheEnabled()} ...); they reflect the current images.
 */
public final class ModePages {
    /** MODE SENSE page code that means every page. */
    public static final int ALL_PAGES = 0x3f;
    /** MODE SENSE subpage code that means every subpage. */
    public static final int ALL_SUBPAGES = 0xff;

    public static final int RW_ERROR_RECOVERY = 0x01;
    public static final int FORMAT_DEVICE = 0x03;
    public static final int RIGID_DISK = 0x04;
    public static final int VERIFY_ERROR_RECOVERY = 0x07;
    public static final int CACHING = 0x08;
    public static final int CONTROL = 0x0a;
    public static final int INFORMATIONAL_EXCEPTIONS = 0x1c;

    /** Geometry CTL reports in pages 03h and 04h (ctl-facts §4.3). */
    static final int SECTORS_PER_TRACK = 256;
    static final int HEADS = 128;

    /** MODE SENSE page control field. */
    public enum PageControl {
        CURRENT, CHANGEABLE, DEFAULT, SAVED;

        public static PageControl fromCode(int pc) {
            return values()[pc & 3];
        }
    }

    /**
     * One page of a MODE SELECT parameter list.
     *
     * @param data   the page as sent, header included
     * @param offset where the page starts in the parameter list, for field pointers
     */
    public record PageUpdate(byte[] data, int offset) {
        public boolean subpageFormat() {
            return (data[0] & 0x40) != 0;
        }

        public int code() {
            return data[0] & 0x3f;
        }

        public int subpage() {
            return subpageFormat() ? data[1] & 0xff : 0;
        }
    }

    private static final class Page {
        final int code;
        final int subpage;
        final byte[] defaults;
        final byte[] changeable;
        byte[] current;
        byte[] saved;

        Page(byte[] defaults, byte[] changeable) {
            this.code = defaults[0] & 0x3f;
            this.subpage = (defaults[0] & 0x40) != 0 ? defaults[1] & 0xff : 0;
            this.defaults = defaults;
            this.changeable = changeable;
            this.current = defaults.clone();
            this.saved = defaults.clone();
        }

        int headerLength() {
            return (defaults[0] & 0x40) != 0 ? 4 : 2;
        }

        byte[] image(PageControl pc) {
            return switch (pc) {
                case CURRENT -> current;
                case CHANGEABLE -> changeable;
                case DEFAULT -> defaults;
                case SAVED -> saved;
            };
        }
    }

    private final List<Page> pages;
    private final int rotationRate;

    private volatile boolean descriptorSense;
    private volatile boolean unrestrictedReordering;
    private volatile boolean taskAbortedStatus;
    private volatile boolean softwareWriteProtect;
    private volatile int maxSenseLength;
    private volatile boolean writeCacheEnabled;
    private volatile boolean readCacheDisabled;

    /** The pages of a direct-access LUN with default options and no geometry yet. */
    public ModePages() {
        this(LunType.DIRECT, Map.of(), 512, 0);
    }

    private ModePages(LunType type, Map<String, String> options, int blockSize, long blockCount) {
        this.rotationRate = (int) Math.min(0xffff, OptionValues.number(options, "rpm", 1));
        this.pages = buildPages(type, options);
        updateGeometry(blockSize, blockCount);
        refreshSettings();
    }

    /**
     * The mode pages of a new LUN: which pages exist follows the LUN type, defaults follow the options
     * ({@code writecache=off}, {@code readcache=off}, {@code reordering=unrestricted}, {@code rpm}) and the
     * geometry pages follow block size and count.
     */
    public static ModePages forLun(LunType type, Map<String, String> options, int blockSize, long blockCount) {
        return new ModePages(type, options, blockSize, blockCount);
    }

    private List<Page> buildPages(LunType type, Map<String, String> options) {
        List<Page> list = new ArrayList<>();
        boolean disk = type == LunType.DIRECT;
        boolean cd = type == LunType.CDROM;
        if (disk || cd) {
            byte[] def = header(RW_ERROR_RECOVERY, -1, 12);
            def[2] = (byte) 0xc0; // AWRE, ARRE
            def[7] = (byte) 0x80; // LBPERE
            byte[] chg = header(RW_ERROR_RECOVERY, -1, 12);
            chg[2] = 0x04; // PER
            chg[7] = (byte) 0x80;
            list.add(new Page(def, chg));
        }
        if (disk) {
            byte[] fmt = header(FORMAT_DEVICE, -1, 24);
            put16(fmt, 10, SECTORS_PER_TRACK);
            fmt[20] = 0x40; // HSEC
            list.add(new Page(fmt, header(FORMAT_DEVICE, -1, 24)));

            byte[] rigid = header(RIGID_DISK, -1, 24);
            rigid[5] = (byte) HEADS;
            put16(rigid, 20, rotationRate);
            list.add(new Page(rigid, header(RIGID_DISK, -1, 24)));

            byte[] ver = header(VERIFY_ERROR_RECOVERY, -1, 12);
            byte[] verChg = header(VERIFY_ERROR_RECOVERY, -1, 12);
            verChg[2] = 0x04; // PER
            list.add(new Page(ver, verChg));
        }
        if (disk || cd) {
            byte[] def = header(CACHING, -1, 20);
            int flags = 0x10; // DISC
            if (OptionValues.enabled(options, "writecache", true)) {
                flags |= 0x04; // WCE
            }
            if (!OptionValues.enabled(options, "readcache", true)) {
                flags |= 0x01; // RCD
            }
            def[2] = (byte) flags;
            put16(def, 4, 0xffff); // disable pre-fetch transfer length
            put16(def, 8, 0xffff); // maximum pre-fetch
            put16(def, 10, 0xffff); // maximum pre-fetch ceiling
            byte[] chg = header(CACHING, -1, 20);
            chg[2] = 0x05; // WCE, RCD
            list.add(new Page(def, chg));
        }
        byte[] control = header(CONTROL, -1, 12);
        if ("unrestricted".equalsIgnoreCase(options.getOrDefault("reordering", "restricted"))) {
            control[3] = 0x10; // QUEUE ALGORITHM MODIFIER 1h: unrestricted
        }
        control[5] = 0x40; // TAS
        byte[] controlChg = header(CONTROL, -1, 12);
        controlChg[2] = 0x04; // D_SENSE
        controlChg[3] = (byte) 0xf8; // QUEUE ALGORITHM MODIFIER, NUAR
        controlChg[4] = 0x08; // SWP
        list.add(new Page(control, controlChg));

        byte[] ext = header(CONTROL, 0x01, 32);
        byte[] extChg = header(CONTROL, 0x01, 32);
        extChg[6] = (byte) 0xff; // maximum sense data length
        list.add(new Page(ext, extChg));

        byte[] ie = header(INFORMATIONAL_EXCEPTIONS, -1, 12);
        ie[2] = 0x10; // EWASC
        put16(ie, 10, 1); // report count
        byte[] ieChg = header(INFORMATIONAL_EXCEPTIONS, -1, 12);
        ieChg[2] = 0x1d; // EWASC, DEXCPT, TEST, LOGERR
        ieChg[3] = 0x0f; // MRIE
        Arrays.fill(ieChg, 4, 12, (byte) 0xff); // interval timer, report count
        list.add(new Page(ie, ieChg));
        return List.copyOf(list);
    }

    private static byte[] header(int code, int subpage, int length) {
        byte[] b = new byte[length];
        if (subpage < 0) {
            b[0] = (byte) code;
            b[1] = (byte) (length - 2);
        } else {
            b[0] = (byte) (code | 0x40);
            b[1] = (byte) subpage;
            put16(b, 2, length - 4);
        }
        return b;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }

    private Page find(int code, int subpage) {
        for (Page p : pages) {
            if (p.code == code && p.subpage == subpage) {
                return p;
            }
        }
        return null;
    }

    /** True when the LUN has a page with this code (any subpage). */
    public synchronized boolean hasPageCode(int code) {
        return pages.stream().anyMatch(p -> p.code == code);
    }

    /** Length in bytes (header included) of a page, or -1 when the LUN has no such page. */
    public synchronized int pageLength(int code, int subpage) {
        Page p = find(code, subpage);
        return p == null ? -1 : p.defaults.length;
    }

    /** True when the LUN has this page/subpage. */
    public synchronized boolean hasPage(int code, int subpage) {
        return find(code, subpage) != null;
    }

    /**
     * The pages a MODE SENSE asks for, in ascending page/subpage order: {@code code} 3Fh means every page,
     * {@code subpage} FFh every subpage, otherwise exactly that page. Each image carries PS=1 (savable).
     * Empty when nothing matches.
     */
    public synchronized List<byte[]> sense(int code, int subpage, PageControl pc) {
        List<byte[]> out = new ArrayList<>();
        for (Page p : pages) {
            boolean codeMatches = code == ALL_PAGES || p.code == code;
            boolean subMatches = subpage == ALL_SUBPAGES || p.subpage == subpage;
            if (codeMatches && subMatches) {
                byte[] img = p.image(pc).clone();
                img[0] |= (byte) 0x80; // PS: the page can be saved
                out.add(img);
            }
        }
        return out;
    }

    /** One image of one page without the PS bit, or null if the LUN has no such page. */
    public synchronized byte[] image(int code, int subpage, PageControl pc) {
        Page p = find(code, subpage);
        return p == null ? null : p.image(pc).clone();
    }

    /**
     * Puts the LUN's current geometry into the format device and rigid disk pages (all images but the
     * changeable one), so a resize is visible to the next MODE SENSE.
     */
    public synchronized void updateGeometry(int blockSize, long blockCount) {
        Page fmt = find(FORMAT_DEVICE, 0);
        if (fmt != null) {
            for (byte[] img : List.of(fmt.defaults, fmt.current, fmt.saved)) {
                put16(img, 12, Math.min(blockSize, 0xffff));
            }
        }
        Page rigid = find(RIGID_DISK, 0);
        if (rigid != null) {
            long cylinders = Math.min(0xffffffL, Math.max(0, blockCount) / ((long) HEADS * SECTORS_PER_TRACK));
            for (byte[] img : List.of(rigid.defaults, rigid.current, rigid.saved)) {
                img[2] = (byte) (cylinders >> 16);
                img[3] = (byte) (cylinders >> 8);
                img[4] = (byte) cylinders;
            }
        }
    }

    /**
     * Applies a MODE SELECT parameter list's pages: all are checked first (known page, exact page length,
     * only changeable bits differ from the current image), then all are applied. {@code save} (SP) also copies
     * the results into the saved images.
     *
     * @return true when a current image changed (the caller raises MODE PARAMETERS CHANGED)
     * @throws ScsiException ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST pointing at the offending byte
     */
    public synchronized boolean select(List<PageUpdate> updates, boolean save) {
        List<Page> targets = new ArrayList<>(updates.size());
        for (PageUpdate u : updates) {
            byte[] d = u.data();
            if ((d[0] & 0x80) != 0) {
                throw ScsiException.invalidFieldInParameterList(u.offset(), 7); // PS is reserved here
            }
            Page p = find(u.code(), u.subpage());
            if (p == null) {
                boolean knownCode = pages.stream().anyMatch(q -> q.code == u.code());
                throw knownCode
                        ? ScsiException.invalidFieldInParameterList(u.offset() + 1, -1)
                        : ScsiException.invalidFieldInParameterList(u.offset(), 5);
            }
            if (d.length != p.current.length) {
                throw ScsiException.invalidFieldInParameterList(u.offset() + (u.subpageFormat() ? 2 : 1), -1);
            }
            for (int i = p.headerLength(); i < d.length; i++) {
                int diff = (d[i] ^ p.current[i]) & ~p.changeable[i] & 0xff;
                if (diff != 0) {
                    throw ScsiException.invalidFieldInParameterList(u.offset() + i,
                            31 - Integer.numberOfLeadingZeros(diff));
                }
            }
            targets.add(p);
        }
        boolean changed = false;
        for (int n = 0; n < updates.size(); n++) {
            Page p = targets.get(n);
            byte[] d = updates.get(n).data();
            byte[] next = p.current.clone();
            for (int i = p.headerLength(); i < next.length; i++) {
                next[i] = (byte) ((p.current[i] & ~p.changeable[i]) | (d[i] & p.changeable[i]));
            }
            changed |= !Arrays.equals(next, p.current);
            p.current = next;
            if (save) {
                p.saved = next.clone();
            }
        }
        refreshSettings();
        return changed;
    }

    /**
     * MODE SELECT with RTD: every current and saved image goes back to its default.
     *
     * @return true when a current image changed
     */
    public synchronized boolean revertToDefaults() {
        boolean changed = false;
        for (Page p : pages) {
            changed |= !Arrays.equals(p.current, p.defaults);
            p.current = p.defaults.clone();
            p.saved = p.defaults.clone();
        }
        refreshSettings();
        return changed;
    }

    private void refreshSettings() {
        Page control = find(CONTROL, 0);
        descriptorSense = (control.current[2] & 0x04) != 0;
        unrestrictedReordering = ((control.current[3] >> 4) & 0x0f) == 1;
        softwareWriteProtect = (control.current[4] & 0x08) != 0;
        taskAbortedStatus = (control.current[5] & 0x40) != 0;
        maxSenseLength = find(CONTROL, 0x01).current[6] & 0xff;
        Page caching = find(CACHING, 0);
        writeCacheEnabled = caching == null || (caching.current[2] & 0x04) != 0;
        readCacheDisabled = caching != null && (caching.current[2] & 0x01) != 0;
    }

    /** Control page D_SENSE: sense in descriptor format. */
    public boolean descriptorSense() {
        return descriptorSense;
    }

    /** Control page QUEUE ALGORITHM MODIFIER = 1h (unrestricted reordering): optional blocks pass. */
    public boolean unrestrictedReordering() {
        return unrestrictedReordering;
    }

    /** Control page TAS: tasks aborted by another nexus end with TASK ABORTED. */
    public boolean taskAbortedStatus() {
        return taskAbortedStatus;
    }

    /** Control page SWP: the medium is write protected. */
    public boolean softwareWriteProtect() {
        return softwareWriteProtect;
    }

    /** Control extension page: maximum sense data length, 0 = no limit beyond 252. */
    public int maxSenseLength() {
        return maxSenseLength;
    }

    /** Caching page WCE; when clear every write is forced to stable storage. LUNs without the page: true. */
    public boolean writeCacheEnabled() {
        return writeCacheEnabled;
    }

    /** Caching page RCD. */
    public boolean readCacheDisabled() {
        return readCacheDisabled;
    }
}

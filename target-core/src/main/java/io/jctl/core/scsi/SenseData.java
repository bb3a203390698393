package io.jctl.core.scsi;

/**
 * One sense condition, independent of its wire format. {@link #encode} renders it as fixed (70h) or
 * descriptor (72h) format, the choice the LUN's control mode page (D_SENSE) or REQUEST SENSE's DESC bit makes.
 */
public final class SenseData {
    /** Largest sense the target ever returns (SPC: 252 bytes). */
    public static final int MAX_LENGTH = 252;
    /** Most bytes of a copy target's sense one forwarded sense data descriptor carries (CTL's limit). */
    private static final int FORWARDED_SENSE_MAX = 64;

    private final int key;
    private final int asc;
    private final int ascq;
    private final Long information;
    private final byte[] senseKeySpecific;
    private final boolean deferred;
    private final Long commandSpecific;
    private final Forwarded forwarded;

    /**
     * A forwarded sense data descriptor (SPC-4, type 0Ch): what a copy source or destination answered the copy
     * manager.
     *
     * @param source SENSE DATA SOURCE: 1 the copy source, 2 the copy destination
     * @param status the copy target's status
     * @param sense  its sense, or null when it had none (e.g. RESERVATION CONFLICT)
     */
    private record Forwarded(int source, ScsiStatus status, SenseData sense) {
    }

    /** SENSE DATA SOURCE of a forwarded sense data descriptor: the EXTENDED COPY's copy source. */
    public static final int FORWARDED_FROM_COPY_SOURCE = 1;
    /** SENSE DATA SOURCE of a forwarded sense data descriptor: the EXTENDED COPY's copy destination. */
    public static final int FORWARDED_FROM_COPY_DESTINATION = 2;

    private SenseData(int key, int asc, int ascq, Long information, byte[] senseKeySpecific, boolean deferred,
                      Long commandSpecific) {
        this(key, asc, ascq, information, senseKeySpecific, deferred, commandSpecific, null);
    }

    private SenseData(int key, int asc, int ascq, Long information, byte[] senseKeySpecific, boolean deferred,
                      Long commandSpecific, Forwarded forwarded) {
        this.forwarded = forwarded;
        this.key = key;
        this.asc = asc;
        this.ascq = ascq;
        this.information = information;
        this.senseKeySpecific = senseKeySpecific;
        this.deferred = deferred;
        this.commandSpecific = commandSpecific;
    }

    public static SenseData of(int key, int asc, int ascq) {
        return new SenseData(key, asc, ascq, null, null, false, null);
    }

    /** Adds the INFORMATION field (an LBA, a byte offset, or packed sense for QUERY ASYNC EVENT). */
    public SenseData withInformation(long value) {
        return new SenseData(key, asc, ascq, value, senseKeySpecific, deferred, commandSpecific, forwarded);
    }

    /**
     * Adds the COMMAND-SPECIFIC INFORMATION field (EXTENDED COPY: the number of the segment that failed). Fixed
     * format has 4 bytes for it, descriptor format 8.
     */
    public SenseData withCommandSpecificInformation(long value) {
        return new SenseData(key, asc, ascq, information, senseKeySpecific, deferred, value, forwarded);
    }

    /** The COMMAND-SPECIFIC INFORMATION field, or null. */
    public Long commandSpecificInformation() {
        return commandSpecific;
    }

    /**
     * Adds a field pointer (sense-key specific, SKSV set): which byte and bit of the CDB or of the parameter
     * list is wrong. {@code bit} < 0 means no bit pointer.
     */
    public SenseData withFieldPointer(boolean inCdb, int byteIndex, int bit) {
        byte[] sks = new byte[3];
        sks[0] = (byte) (0x80 | (inCdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | (bit & 0x7) : 0));
        sks[1] = (byte) (byteIndex >> 8);
        sks[2] = (byte) byteIndex;
        return new SenseData(key, asc, ascq, information, sks, deferred, commandSpecific, forwarded);
    }

    /** Adds raw sense-key-specific bytes (SKSV is bit 7 of the first byte). */
    public SenseData withSenseKeySpecific(byte[] sks) {
        return new SenseData(key, asc, ascq, information, sks.clone(), deferred, commandSpecific, forwarded);
    }

    /**
     * Adds a forwarded sense data descriptor: the status (and sense, null if none) a copy target gave the copy
     * manager, {@code source} one of {@link #FORWARDED_FROM_COPY_SOURCE} / {@link #FORWARDED_FROM_COPY_DESTINATION}.
     * Only descriptor format carries it; fixed format has no place for it (as in CTL).
     */
    public SenseData withForwardedSense(int source, ScsiStatus status, SenseData sense) {
        return new SenseData(key, asc, ascq, information, senseKeySpecific, deferred, commandSpecific,
                new Forwarded(source, status, sense));
    }

    /** The forwarded status, or null when no forwarded sense data descriptor is attached. */
    public ScsiStatus forwardedStatus() {
        return forwarded == null ? null : forwarded.status();
    }

    public int key() {
        return key;
    }

    public int asc() {
        return asc;
    }

    public int ascq() {
        return ascq;
    }

    public Long information() {
        return information;
    }

    /** The three sense-key-specific bytes, or null. */
    public byte[] senseKeySpecific() {
        return senseKeySpecific == null ? null : senseKeySpecific.clone();
    }

    /**
     * Encodes the sense.
     *
     * @param descriptor descriptor format (72h) instead of fixed (70h)
     * @param maxLength  cap from the control extension page; 0 means {@link #MAX_LENGTH}
     */
    public byte[] encode(boolean descriptor, int maxLength) {
        byte[] out = descriptor ? encodeDescriptor() : encodeFixed();
        int cap = maxLength <= 0 ? MAX_LENGTH : Math.min(maxLength, MAX_LENGTH);
        if (out.length > cap) {
            out = java.util.Arrays.copyOf(out, cap);
        }
        return out;
    }

    private byte[] encodeFixed() {
        byte[] b = new byte[18];
        b[0] = (byte) (deferred ? 0x71 : 0x70);
        if (information != null) {
            long info = information;
            // SPC: fixed format has 4 bytes of INFORMATION; a value that does not fit leaves VALID clear
            if ((info >>> 32) == 0) {
                b[0] |= (byte) 0x80;
            }
            b[3] = (byte) (info >> 24);
            b[4] = (byte) (info >> 16);
            b[5] = (byte) (info >> 8);
            b[6] = (byte) info;
        }
        b[2] = (byte) (key & 0x0f);
        if (commandSpecific != null) {
            long csi = commandSpecific;
            b[8] = (byte) (csi >> 24);
            b[9] = (byte) (csi >> 16);
            b[10] = (byte) (csi >> 8);
            b[11] = (byte) csi;
        }
        b[7] = 10; // additional sense length
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        if (senseKeySpecific != null) {
            System.arraycopy(senseKeySpecific, 0, b, 15, 3);
        }
        return b;
    }

    private byte[] encodeDescriptor() {
        byte[] inner = forwarded == null || forwarded.sense() == null ? new byte[0]
                : forwarded.sense().encodeDescriptor();
        boolean cut = inner.length > FORWARDED_SENSE_MAX;
        if (cut) {
            inner = java.util.Arrays.copyOf(inner, FORWARDED_SENSE_MAX);
        }
        int len = 8 + (information != null ? 12 : 0) + (commandSpecific != null ? 12 : 0)
                + (senseKeySpecific != null ? 8 : 0) + (forwarded != null ? 4 + inner.length : 0);
        byte[] b = new byte[len];
        b[0] = (byte) (deferred ? 0x73 : 0x72);
        b[1] = (byte) (key & 0x0f);
        b[2] = (byte) asc;
        b[3] = (byte) ascq;
        b[7] = (byte) (len - 8);
        int p = 8;
        if (information != null) {
            b[p] = 0x00; // information descriptor
            b[p + 1] = 0x0a;
            b[p + 2] = (byte) 0x80; // VALID
            long info = information;
            for (int i = 0; i < 8; i++) {
                b[p + 4 + i] = (byte) (info >> (56 - 8 * i));
            }
            p += 12;
        }
        if (commandSpecific != null) {
            b[p] = 0x01; // command-specific information descriptor
            b[p + 1] = 0x0a;
            long csi = commandSpecific;
            for (int i = 0; i < 8; i++) {
                b[p + 4 + i] = (byte) (csi >> (56 - 8 * i));
            }
            p += 12;
        }
        if (senseKeySpecific != null) {
            b[p] = 0x02; // sense key specific descriptor
            b[p + 1] = 0x06;
            System.arraycopy(senseKeySpecific, 0, b, p + 4, 3);
            p += 8;
        }
        if (forwarded != null) {
            b[p] = 0x0c; // forwarded sense data descriptor
            b[p + 1] = (byte) (2 + inner.length);
            b[p + 2] = (byte) ((cut ? 0x80 : 0) | (forwarded.source() & 0x0f)); // FSDT: forwarded sense cut short
            b[p + 3] = (byte) forwarded.status().code();
            System.arraycopy(inner, 0, b, p + 4, inner.length);
        }
        return b;
    }

    @Override
    public String toString() {
        return String.format("sense %x/%02x/%02x", key, asc, ascq);
    }
}

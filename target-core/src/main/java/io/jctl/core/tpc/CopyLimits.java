package io.jctl.core.tpc;

/**
 * What the copy manager accepts (ctl-facts §5.4), reported in RECEIVE COPY OPERATING PARAMETERS and the third-party
 * copy VPD page, and enforced when an EXTENDED COPY parameter list is parsed.
 */
public final class CopyLimits {
    /** CSCD (target) descriptors per list. */
    public static final int MAX_CSCD_DESCRIPTORS = 64;
    /** Segment descriptors per list. */
    public static final int MAX_SEGMENT_DESCRIPTORS = 64;
    /** CSCD plus segment descriptor bytes per list. */
    public static final int MAX_DESCRIPTOR_LIST_LENGTH = 8192;
    /** No inline data is accepted. */
    public static final int MAX_INLINE_DATA_LENGTH = 0;
    /** 0: a segment's length is not limited. */
    public static final int MAX_SEGMENT_LENGTH = 0;
    /** Copy operations in progress at once per copy manager LUN. */
    public static final int MAX_CONCURRENT_COPIES = 255;
    /** Bytes one internal read/write pair moves. */
    public static final int CHUNK_BYTES = 1 << 20;
    /** How long the result of a finished copy stays available to RECEIVE COPY STATUS / FAILURE DETAILS. */
    public static final long RETENTION_NANOS = 60_000_000_000L;
    /** Attempts per internal I/O that fails in the backend. */
    public static final int IO_ATTEMPTS = 3;

    /** Descriptor type codes. */
    public static final int SEGMENT_BLOCK_TO_BLOCK = 0x02;
    public static final int SEGMENT_VERIFY_CSCD = 0x07;
    public static final int CSCD_IDENTIFICATION = 0xe4;
    /** CSCD index naming the copy manager's own LUN. */
    public static final int CSCD_INDEX_SELF = 0xffff;

    private CopyLimits() {
    }
}

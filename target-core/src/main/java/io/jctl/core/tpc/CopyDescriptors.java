package io.jctl.core.tpc;

import java.util.List;

/**
 * A parsed EXTENDED COPY parameter list.
 *
 * @param serviceAction 00h (LID1) or 01h (LID4): RECEIVE COPY STATUS(LID4) reports it back
 * @param listId        the list identifier (8 bits for LID1, 32 for LID4)
 * @param tracked       false when LIST ID USAGE is 11b: the list is not kept after it ends
 * @param cscds         the CSCD descriptors, by index
 * @param segments      the segment descriptors, in order
 */
public record CopyDescriptors(int serviceAction, long listId, boolean tracked, List<Cscd> cscds,
                              List<Step> segments) {

    /** A segment descriptor: one step of the copy. */
    public sealed interface Step permits Segment, VerifyCscd {
        /** Where it starts in the parameter list. */
        int offset();
    }

    /**
     * A verify CSCD segment descriptor (07h): the copy target must be reachable and, with TUR, ready.
     *
     * @param offset where it starts in the parameter list
     * @param source the CSCD index to verify
     * @param testUnitReady TUR bit: the target must also be ready for I/O
     */
    public record VerifyCscd(int offset, int source, boolean testUnitReady) implements Step {
    }

    /**
     * An identification CSCD descriptor (E4h): a logical unit named by one of its VPD 83h designators.
     *
     * @param offset          where it starts in the parameter list (for field pointers)
     * @param peripheralType  the device type the initiator expects (00h block)
     * @param codeSet         designator code set
     * @param designatorType  designator association and type (byte 1 of the designator, PIV cleared)
     * @param designator      the designator value
     * @param blockLength     DISK BLOCK LENGTH of the device type specific parameters, 0 when not given
     */
    public record Cscd(int offset, int peripheralType, int codeSet, int designatorType,
                       byte[] designator, int blockLength) {
    }

    /**
     * A block device to block device segment descriptor (02h).
     *
     * @param offset        where it starts in the parameter list
     * @param destinationCount DC bit: the block count is in destination blocks
     * @param source        source CSCD index (FFFFh: the copy manager's own LUN)
     * @param destination   destination CSCD index
     * @param blocks        number of blocks
     * @param sourceLba     first source block
     * @param destinationLba first destination block
     */
    public record Segment(int offset, boolean destinationCount, int source, int destination, int blocks,
                          long sourceLba, long destinationLba) implements Step {
    }
}

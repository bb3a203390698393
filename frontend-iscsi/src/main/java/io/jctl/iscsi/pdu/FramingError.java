package io.jctl.iscsi.pdu;

/**
 * The decoder could not frame a PDU. After emitting this it discards every further byte: the connection handler
 * answers (Reject where RFC 7143 allows it) and closes the connection.
 *
 * @param header the offending PDU's header, when it was read
 */
public record FramingError(Kind kind, Bhs header, String detail) {
    public enum Kind {
        HEADER_DIGEST,
        OVERSIZED_SEGMENT,
        BAD_AHS
    }
}

package io.jctl.iscsi.pdu;

/**
 * Per-connection framing parameters shared by decoder, encoder and the connection handler. Only touched on the
 * connection's event loop; the handler switches them when login completes.
 */
public final class DigestSettings {
    private boolean headerDigest;
    private boolean dataDigest;
    private int maxRecvDataSegmentLength;

    public DigestSettings(int maxRecvDataSegmentLength) {
        this.maxRecvDataSegmentLength = maxRecvDataSegmentLength;
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    public int maxRecvDataSegmentLength() {
        return maxRecvDataSegmentLength;
    }

    public void enable(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    public void maxRecvDataSegmentLength(int length) {
        this.maxRecvDataSegmentLength = length;
    }
}

package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** iSCSI digests: CRC32C over header or data plus padding, sent least significant byte first (RFC 7143 App. B). */
public final class Crc32c {
    private Crc32c() {
    }

    public static int of(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        return (int) crc.getValue();
    }

    /** Digest of the readable bytes of {@code buf} followed by {@code padding} zero bytes; reader index unchanged. */
    public static int of(ByteBuf buf, int padding) {
        CRC32C crc = new CRC32C();
        if (buf.readableBytes() > 0) {
            for (ByteBuffer nio : buf.nioBuffers()) {
                crc.update(nio);
            }
        }
        for (int i = 0; i < padding; i++) {
            crc.update(0);
        }
        return (int) crc.getValue();
    }
}

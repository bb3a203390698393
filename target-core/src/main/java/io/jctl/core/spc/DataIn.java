package io.jctl.core.spc;

import io.jctl.core.dispatch.Command;
import io.netty.buffer.ByteBuf;

/** Ends data-in commands whose reply is built in memory and cut to the CDB's allocation length. */
public final class DataIn {
    private DataIn() {
    }

    /**
     * Sends the first {@code min(data.length, allocationLength)} bytes and ends the command with GOOD. Truncation
     * to the allocation length is not an overflow, so the command's own data length is what is sent.
     */
    public static void reply(Command cmd, byte[] data, long allocationLength) {
        int n = (int) Math.min(data.length, Math.max(0, allocationLength));
        cmd.task().setCommandDataLength(n);
        if (n == 0) {
            cmd.complete();
            return;
        }
        ByteBuf buf = cmd.alloc().buffer(n);
        buf.writeBytes(data, 0, n);
        cmd.complete(buf);
    }

    /** Space-padded ASCII field of exactly {@code length} bytes (longer text is cut). */
    public static void putAscii(byte[] dst, int off, int length, String text) {
        java.util.Arrays.fill(dst, off, off + length, (byte) ' ');
        byte[] src = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(src, 0, dst, off, Math.min(length, src.length));
    }
}

package io.jctl.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Cuts a byte stream into newline-terminated UTF-8 lines, refusing lines longer than a limit. */
public final class LineBuffer {
    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Deque<String> lines = new ArrayDeque<>();

    public LineBuffer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Consumes every remaining byte of {@code buf}. */
    public void feed(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            } else {
                if (partial.size() >= maxLineBytes) {
                    throw new IOException("line longer than " + maxLineBytes + " bytes");
                }
                partial.write(b);
            }
        }
    }

    /** The next complete line without its newline, or null. */
    public String poll() {
        return lines.poll();
    }
}

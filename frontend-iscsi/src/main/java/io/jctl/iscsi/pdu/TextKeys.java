package io.jctl.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code key=value\0} text format of Login and Text PDUs (RFC 7143 §6.1). */
public final class TextKeys {
    /** Longest key name RFC 7143 §6.1 allows. */
    public static final int MAX_KEY_LENGTH = 63;

    private TextKeys() {
    }

    /** A malformed text segment. */
    public static final class SyntaxException extends Exception {
        public SyntaxException(String message) {
            super(message);
        }
    }

    /** Parses a whole text segment into ordered pairs; reader index unchanged. */
    public static List<Map.Entry<String, String>> parse(ByteBuf data) throws SyntaxException {
        String text = data.toString(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\0', start);
            if (end < 0) {
                throw new SyntaxException("text segment does not end with a NUL byte");
            }
            if (end > start) {
                String pair = text.substring(start, end);
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new SyntaxException("text \"" + pair + "\" is not key=value");
                }
                String key = pair.substring(0, eq);
                if (key.length() > MAX_KEY_LENGTH) {
                    throw new SyntaxException("key \"" + key + "\" longer than 63 bytes");
                }
                pairs.add(Map.entry(key, pair.substring(eq + 1)));
            }
            start = end + 1;
        }
        return pairs;
    }

    /** Encodes pairs; an empty list gives an empty segment. */
    public static ByteBuf encode(List<Map.Entry<String, String>> pairs) {
        if (pairs.isEmpty()) {
            return Unpooled.EMPTY_BUFFER;
        }
        return Unpooled.wrappedBuffer(bytes(pairs));
    }

    public static byte[] bytes(List<Map.Entry<String, String>> pairs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : pairs) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}

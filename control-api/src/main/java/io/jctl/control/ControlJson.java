package io.jctl.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * The wire format: one JSON object per line. Requests are {@code {"command": "...", "args": {...}}}, responses
 * {@code {"ok": true, "result": ...}} or {@code {"ok": false, "error": "one-line reason"}}.
 */
public final class ControlJson {
    /** Longest line either side accepts; a request or listing is far smaller. */
    public static final int MAX_LINE_BYTES = 4 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ControlJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A request line, newline included. */
    public static byte[] requestLine(Command command, Object args) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("command", command.wireName());
        node.set("args", MAPPER.valueToTree(args));
        return line(node);
    }

    public static byte[] successLine(Object result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("ok", true);
        node.set("result", MAPPER.valueToTree(result));
        return line(node);
    }

    public static byte[] errorLine(String reason) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("ok", false);
        node.put("error", oneLine(reason));
        return line(node);
    }

    private static byte[] line(JsonNode node) {
        try {
            return (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode control message", e);
        }
    }

    /** Flattens a message to one line (an exception text may carry newlines). */
    public static String oneLine(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown error";
        }
        return reason.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** A one-line description of why a JSON document did not match the expected type. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field \"" + u.getPropertyName() + "\"";
        }
        if (e instanceof InvalidFormatException f) {
            return "field " + path(f) + ": cannot use " + f.getValue() + " as " + f.getTargetType().getSimpleName();
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "field " + path(m) + ": wrong type, expected " + m.getTargetType().getSimpleName();
        }
        return oneLine(e.getOriginalMessage());
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return "\"" + sb + "\"";
    }
}

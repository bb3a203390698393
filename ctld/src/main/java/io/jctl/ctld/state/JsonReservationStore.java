package io.jctl.ctld.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jctl.core.pr.ReservationStore;
import io.jctl.core.pr.SavedReservations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Persistent reservations saved with APTPL, one JSON file per LUN in {@code <state-dir>/reservations}, named after
 * the LUN's device id. Writes are atomic: a temporary file is written and fsynced, renamed over the old one, then
 * the directory is fsynced, so a crash leaves either the old or the new state.
 */
public final class JsonReservationStore implements ReservationStore {
    private static final Logger log = LoggerFactory.getLogger(JsonReservationStore.class);
    static final int FORMAT_VERSION = 1;
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** The file layout; keys are hex strings so that 64-bit keys read the same everywhere. */
    record FileState(@JsonProperty(required = true) int version, @JsonProperty(required = true) String lun,
                     @JsonProperty(required = true) long generation,
                     @JsonProperty(required = true) int reservationType,
                     @JsonProperty(required = true) List<FileRegistrant> registrants) {
    }

    record FileRegistrant(@JsonProperty(required = true) String initiatorName,
                          @JsonProperty(required = true) String initiatorPort,
                          @JsonProperty(required = true) int relativeTargetPort,
                          @JsonProperty(required = true) String key,
                          @JsonProperty(required = true) boolean holder) {
    }

    public JsonReservationStore(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    /** The file of a LUN: its key with every character but letters, digits, '.', '_' and '-' escaped as %XX. */
    Path file(String lunKey) {
        StringBuilder sb = new StringBuilder();
        for (byte b : lunKey.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || (c == '.' && sb.length() > 0))) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return dir.resolve(sb + SUFFIX);
    }

    @Override
    public Optional<SavedReservations> load(String lunKey) throws IOException {
        Path f = file(lunKey);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        FileState s;
        try {
            s = mapper.readValue(bytes, FileState.class);
        } catch (JsonProcessingException e) {
            throw new IOException(f + " is not a saved reservation state: " + e.getOriginalMessage(), e);
        }
        if (s.version() != FORMAT_VERSION) {
            throw new IOException(f + ": format version " + s.version() + " is not " + FORMAT_VERSION);
        }
        if (!lunKey.equals(s.lun())) {
            throw new IOException(f + " belongs to LUN '" + s.lun() + "', not '" + lunKey + "'");
        }
        List<SavedReservations.Registrant> rs = new ArrayList<>();
        for (FileRegistrant r : s.registrants()) {
            rs.add(new SavedReservations.Registrant(r.initiatorName(), r.initiatorPort(), r.relativeTargetPort(),
                    parseKey(f, r.key()), r.holder()));
        }
        return Optional.of(new SavedReservations(s.generation(), s.reservationType(), rs));
    }

    private static long parseKey(Path f, String key) throws IOException {
        if (!key.startsWith("0x") || key.length() < 3 || key.length() > 18) {
            throw new IOException(f + ": key '" + key + "' is not 0x followed by 1 to 16 hex digits");
        }
        try {
            return Long.parseUnsignedLong(key.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new IOException(f + ": key '" + key + "' is not 0x followed by 1 to 16 hex digits", e);
        }
    }

    @Override
    public void save(String lunKey, SavedReservations saved) throws IOException {
        List<FileRegistrant> rs = new ArrayList<>();
        for (SavedReservations.Registrant r : saved.registrants()) {
            rs.add(new FileRegistrant(r.initiatorName(), r.initiatorPort(), r.relativeTargetPort(),
                    "0x" + Long.toHexString(r.key()), r.holder()));
        }
        byte[] bytes = mapper.writeValueAsBytes(new FileState(FORMAT_VERSION, lunKey, saved.generation(),
                saved.reservationType(), rs));
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        Path target = file(lunKey);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
        }
        syncDirectory();
        log.debug("saved persistent reservations of {} to {}", lunKey, target);
    }

    @Override
    public void delete(String lunKey) throws IOException {
        if (Files.deleteIfExists(file(lunKey))) {
            syncDirectory();
            log.debug("deleted the saved persistent reservations of {}", lunKey);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

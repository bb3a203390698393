package io.jctl.ctld.state;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jctl.core.pr.ReservationState;
import io.jctl.core.pr.SavedReservations;
import io.jctl.ctld.Daemon;
import io.jctl.ctld.DaemonOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReservationStoreTest {
    @TempDir
    Path dir;

    private static final SavedReservations STATE = new SavedReservations(7, 3, List.of(
            new SavedReservations.Registrant("iqn.1994-05.com.example:a", "iqn.1994-05.com.example:a,i,0x23d000000001",
                    1, 0xfedcba9876543210L, true),
            new SavedReservations.Registrant("iqn.1994-05.com.example:b", "iqn.1994-05.com.example:b,i,0x23d000000002",
                    2, 0x1L, false)));

    @Test
    void whatIsSavedLoadsBackAndNoTemporaryFileIsLeft() throws IOException {
        JsonReservationStore store = new JsonReservationStore(dir.resolve("reservations"));
        assertEquals(Optional.empty(), store.load("MYDEVID0000"));
        store.save("MYDEVID0000", STATE);
        assertEquals(Optional.of(STATE), store.load("MYDEVID0000"));
        try (Stream<Path> files = Files.list(dir.resolve("reservations"))) {
            assertEquals(List.of("MYDEVID0000.json"), files.map(p -> p.getFileName().toString()).toList());
        }
        String json = Files.readString(store.file("MYDEVID0000"));
        assertTrue(json.contains("\"key\" : \"0xfedcba9876543210\""), json);
    }

    @Test
    void saveReplacesAndDeleteForgets() throws IOException {
        JsonReservationStore store = new JsonReservationStore(dir);
        store.save("lun", STATE);
        SavedReservations next = new SavedReservations(8, 0, List.of(STATE.registrants().get(1)));
        store.save("lun", next);
        assertEquals(Optional.of(next), store.load("lun"));
        store.delete("lun");
        assertEquals(Optional.empty(), store.load("lun"));
        store.delete("lun");
    }

    @Test
    void lunKeysBecomeSafeFileNames() {
        JsonReservationStore store = new JsonReservationStore(dir);
        assertEquals(dir.resolve("a%2Fb%20c.d.json"), store.file("a/b c.d"));
        assertEquals(dir.resolve("%2E..json"), store.file(".."), "never . or .. as a name");
    }

    @Test
    void aDamagedFileIsAnErrorNamingIt() throws IOException {
        JsonReservationStore store = new JsonReservationStore(dir);
        for (String bad : new String[] {"{", "[]", "{\"version\":1}",
                "{\"version\":2,\"lun\":\"x\",\"generation\":1,\"reservationType\":0,\"registrants\":[]}",
                "{\"version\":1,\"lun\":\"other\",\"generation\":1,\"reservationType\":0,\"registrants\":[]}",
                "{\"version\":1,\"lun\":\"x\",\"generation\":1,\"reservationType\":0,\"registrants\":[{"
                        + "\"initiatorName\":\"i\",\"initiatorPort\":\"i,i,0x1\",\"relativeTargetPort\":1,"
                        + "\"key\":\"12\",\"holder\":false}]}"}) {
            Files.writeString(store.file("x"), bad);
            IOException e = assertThrows(IOException.class, () -> store.load("x"), bad);
            assertTrue(e.getMessage().contains("x.json"), e.getMessage());
        }
    }

    @Test
    void aDaemonWithACorruptFileStillBringsTheLunUpAndSaysWhy() throws Exception {
        Path reservations = dir.resolve("state").resolve("reservations");
        Files.createDirectories(reservations);
        Files.writeString(reservations.resolve("MYDEVID0000.json"), "{ not json");
        Logger logger = (Logger) LoggerFactory.getLogger(ReservationState.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (Daemon d = Daemon.start(new DaemonOptions(null, List.of(new InetSocketAddress("127.0.0.1", 0)),
                dir.resolve("ctld.sock"), dir.resolve("state"), 1))) {
            assertTrue(d.core().lun(0).isPresent());
        } finally {
            logger.detachAppender(appender);
        }
        assertTrue(appender.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
                && e.getFormattedMessage().contains("MYDEVID0000.json is not a saved reservation state")),
                appender.list.toString());
        assertFalse(Files.exists(reservations.resolve("MYDEVID0000.json.tmp")));
    }
}

package io.jctl.core.pr;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.jctl.core.pr.PrDriver.APTPL;
import static io.jctl.core.pr.PrDriver.EX_AC;
import static io.jctl.core.pr.PrDriver.REGISTER;
import static io.jctl.core.pr.PrDriver.REGISTER_AND_IGNORE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APTPL: what the core saves, restores and refuses through a {@link ReservationStore}. */
class AptplTest {

    /** A store in memory that can be told to fail. */
    static final class MemoryStore implements ReservationStore {
        final Map<String, SavedReservations> saved = new HashMap<>();
        boolean failSaves;
        String corrupt;

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public Optional<SavedReservations> load(String lunKey) throws IOException {
            if (corrupt != null) {
                throw new IOException(corrupt);
            }
            return Optional.ofNullable(saved.get(lunKey));
        }

        @Override
        public void save(String lunKey, SavedReservations s) throws IOException {
            if (failSaves) {
                throw new IOException("disk full");
            }
            saved.put(lunKey, s);
        }

        @Override
        public void delete(String lunKey) {
            saved.remove(lunKey);
        }
    }

    private static final String LUN0 = "MYDEVID0000";

    @Test
    void keysAndReservationSurviveARestartOfTheCore() throws Exception {
        MemoryStore store = new MemoryStore();
        long gen;
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            Nexus b = d.nexus("b");
            d.ok(d.out(a, REGISTER, 0, 0, 0xaaaa, APTPL));
            // the latest APTPL from any nexus governs (SPC-4 5.14.5)
            d.ok(d.out(b, REGISTER, 0, 0, 0xbbbb, APTPL));
            d.reserve(a, 0xaaaa, EX_AC);
            gen = d.generation(a);
            assertEquals(2, store.saved.get(LUN0).registrants().size());
        }
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            Nexus b = d.nexus("b");
            assertEquals(List.of(0xaaaaL, 0xbbbbL), d.keys(a));
            assertArrayEquals(new long[] {0xaaaa, EX_AC}, d.reservation(a));
            assertEquals(gen, d.generation(a));
            assertEquals(ScsiStatus.RESERVATION_CONFLICT, d.read(b).status(), "the reservation is in force");
            Completion caps = d.in(a, 2, 8);
            assertEquals(0x11, caps.data()[2], "CRH and PTPL_C");
            assertEquals((byte) 0x91, caps.data()[3], "TMV, ALLOW COMMANDS 1, PTPL_A");
        }
    }

    @Test
    void registeringWithoutAptplForgetsTheSavedState() throws Exception {
        MemoryStore store = new MemoryStore();
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            d.ok(d.out(a, REGISTER_AND_IGNORE, 0, 0, 1, APTPL));
            assertTrue(store.saved.containsKey(LUN0));
            d.register(d.nexus("b"), 2);
            assertFalse(store.saved.containsKey(LUN0), "the latest APTPL from any nexus governs");
            assertEquals((byte) 0x90, d.in(a, 2, 8).data()[3], "PTPL_A off");
        }
        try (PrDriver d = new PrDriver(store)) {
            assertEquals(List.of(), d.keys(d.nexus("a")));
        }
    }

    @Test
    void registerAndMoveWithAptplSavesTheNewHolder() throws Exception {
        MemoryStore store = new MemoryStore();
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            Nexus b = d.nexus("b");
            d.register(a, 1);
            d.reserve(a, 1, EX_AC);
            byte[] tid = PersistentReserveIn.transportId(b);
            byte[] list = new byte[24 + tid.length];
            java.nio.ByteBuffer.wrap(list).putLong(0, 1).putLong(8, 2).putShort(18, (short) d.h.port.id())
                    .putInt(20, tid.length);
            list[17] = 0x02 | APTPL;
            System.arraycopy(tid, 0, list, 24, tid.length);
            d.ok(d.run(a, PrDriver.proutCdb(7, EX_AC, list.length), list));
            SavedReservations saved = store.saved.get(LUN0);
            assertEquals(List.of(new SavedReservations.Registrant(b.initiatorName(), b.initiatorPort(),
                    b.portId(), 2, true)), saved.registrants());
        }
    }

    @Test
    void removingTheLastRegistrationDeletesTheSavedState() throws Exception {
        MemoryStore store = new MemoryStore();
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            d.ok(d.out(a, REGISTER, 0, 0, 1, APTPL));
            d.ok(d.out(a, PrDriver.CLEAR, 0, 1, 0, 0));
            assertFalse(store.saved.containsKey(LUN0));
        }
    }

    @Test
    void aFailedSaveRefusesTheChangeAndKeepsTheOldState() throws Exception {
        MemoryStore store = new MemoryStore();
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            d.ok(d.out(a, REGISTER, 0, 0, 1, APTPL));
            store.failSaves = true;
            Completion c = d.out(a, PrDriver.RESERVE, EX_AC, 1, 0, 0);
            assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
            assertEquals("4/44/00", Sense.code(c.sense()));
            assertNull(d.reservation(a));
            assertEquals(1, d.generation(a));
        }
    }

    @Test
    void anUnreadableStoreIsLoggedAndTheLunComesUpWithoutReservations() throws Exception {
        MemoryStore store = new MemoryStore();
        store.corrupt = "reservations/MYDEVID0000.json is not a saved reservation state";
        Logger logger = (Logger) LoggerFactory.getLogger(ReservationState.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            assertEquals(List.of(), d.keys(a));
            assertEquals(ScsiStatus.GOOD, d.write(a).status());
        } finally {
            logger.detachAppender(appender);
        }
        assertTrue(appender.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
                && e.getFormattedMessage().contains("is not a saved reservation state")), appender.list.toString());
    }

    @Test
    void anInconsistentSavedStateIsIgnored() throws Exception {
        MemoryStore store = new MemoryStore();
        store.saved.put(LUN0, new SavedReservations(3, PrDriver.WR_EX, List.of(
                new SavedReservations.Registrant("iqn.x", "iqn.x,i,0x1", 1, 5, false))));
        try (PrDriver d = new PrDriver(store)) {
            Nexus a = d.nexus("a");
            assertEquals(List.of(), d.keys(a), "a WR_EX reservation without a holder is not restored");
        }
    }
}

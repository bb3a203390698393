package io.jctl.core.pr;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a LUN's persistent reservations go when an initiator asks for them to persist through power loss (APTPL).
 * The core knows no file system: the daemon supplies an implementation (ctld keeps one JSON file per LUN under its
 * state directory). Keys are the LUN's stable identity ({@link ReservationState#storeKey}), not its LUN number.
 */
public interface ReservationStore {
    /** No persistence: REPORT CAPABILITIES says PTPL_C=0 and APTPL=1 is refused. */
    ReservationStore NONE = new ReservationStore() {
        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public Optional<SavedReservations> load(String lunKey) {
            return Optional.empty();
        }

        @Override
        public void save(String lunKey, SavedReservations saved) throws IOException {
            throw new IOException("persistent reservations cannot be saved: no reservation store");
        }

        @Override
        public void delete(String lunKey) {
            // nothing was ever saved
        }
    };

    /** True when {@link #save} keeps the state through a restart (PTPL_C). */
    boolean persistent();

    /**
     * The state saved for a LUN, or empty when none was.
     *
     * @throws IOException the saved state exists but cannot be read or parsed (the message says why)
     */
    Optional<SavedReservations> load(String lunKey) throws IOException;

    /** Replaces the saved state of a LUN; when this returns, the state survives a crash. */
    void save(String lunKey, SavedReservations saved) throws IOException;

    /** Forgets the saved state of a LUN (APTPL turned off, or nothing left to keep). */
    void delete(String lunKey) throws IOException;
}

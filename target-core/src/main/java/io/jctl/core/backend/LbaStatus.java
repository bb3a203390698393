package io.jctl.core.backend;

/**
 * The provisioning status of a run of blocks, as GET LBA STATUS reports it (SBC-4 5.6, ctl-facts §5.1).
 *
 * @param state  the status of the first block of the run
 * @param blocks how many blocks from the first one share that status (at least 1); a backend may report fewer than
 *               the whole run, the initiator then asks again from where the run ended
 */
public record LbaStatus(State state, long blocks) {

    /** Provisioning status codes of the LBA status descriptor. */
    public enum State {
        /** Mapped (or unknown): the block holds data. */
        MAPPED(0),
        /** Deallocated: no storage behind the block; it reads as the LUN's unmapped pattern. */
        DEALLOCATED(1),
        /** Anchored: storage reserved, the block reads as the unmapped pattern. */
        ANCHORED(2);

        private final int code;

        State(int code) {
            this.code = code;
        }

        /** The PROVISIONING STATUS field value. */
        public int code() {
            return code;
        }
    }

    public LbaStatus {
        if (state == null || blocks < 1) {
            throw new IllegalArgumentException("LBA status needs a state and at least one block");
        }
    }
}

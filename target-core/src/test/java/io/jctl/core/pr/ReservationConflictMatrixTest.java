package io.jctl.core.pr;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.testing.RecordingTransport.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who may read and write under each persistent reservation type (SPC-4 table "Persistent reservations conflicts"):
 * the holder, another registrant and a nexus that is not registered, with READ(10) (ALLOW_ON_PR_WRESV),
 * WRITE(10) (no flag), TEST UNIT READY and INQUIRY (ALLOW_ON_PR_RESV) and MODE SELECT (no flag).
 */
class ReservationConflictMatrixTest {

    /** Per nexus: r/- read allowed, w/- write allowed. */
    @ParameterizedTest(name = "{0}: holder {1}, registrant {2}, other {3}")
    @CsvSource({
        "1, rw, r-, r-",   // Write Exclusive
        "3, rw, --, --",   // Exclusive Access
        "5, rw, rw, r-",   // Write Exclusive - Registrants Only
        "6, rw, rw, --",   // Exclusive Access - Registrants Only
        "7, rw, rw, r-",   // Write Exclusive - All Registrants
        "8, rw, rw, --",   // Exclusive Access - All Registrants
    })
    void access(int type, String holder, String registrant, String other) throws Exception {
        try (PrDriver d = new PrDriver()) {
            Nexus h = d.nexus("holder");
            Nexus r = d.nexus("registrant");
            Nexus o = d.nexus("other");
            d.register(h, 0xa);
            d.register(r, 0xb);
            d.reserve(h, 0xa, type);
            expect(d, h, holder);
            expect(d, r, registrant);
            expect(d, o, other);
        }
    }

    private static void expect(PrDriver d, Nexus n, String rw) throws InterruptedException {
        String who = n.initiatorName();
        assertEquals(rw.charAt(0) == 'r' ? ScsiStatus.GOOD : ScsiStatus.RESERVATION_CONFLICT,
                d.read(n).status(), who + " READ");
        assertEquals(rw.charAt(1) == 'w' ? ScsiStatus.GOOD : ScsiStatus.RESERVATION_CONFLICT,
                d.write(n).status(), who + " WRITE");
        assertEquals(rw.charAt(1) == 'w' ? ScsiStatus.GOOD : ScsiStatus.RESERVATION_CONFLICT,
                modeSelect(d, n).status(), who + " MODE SELECT");
        assertEquals(ScsiStatus.GOOD, d.run(n, PrDriver.tur(), null).status(), who + " TEST UNIT READY");
        assertEquals(ScsiStatus.GOOD, d.run(n, new byte[] {0x12, 0, 0, 0, 36, 0}, null).status(), who + " INQUIRY");
        assertEquals(ScsiStatus.GOOD, d.in(n, 0, 64).status(), who + " PERSISTENT RESERVE IN");
    }

    /** MODE SELECT(6) with PF and an empty parameter list: a no-op that still needs access. */
    private static Completion modeSelect(PrDriver d, Nexus n) throws InterruptedException {
        return d.run(n, new byte[] {0x15, 0x10, 0, 0, 0, 0}, null);
    }
}

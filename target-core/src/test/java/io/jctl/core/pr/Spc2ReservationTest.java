package io.jctl.core.pr;

import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RESERVE / RELEASE (6) and (10), ctl-facts §6.1. */
class Spc2ReservationTest {
    private static final byte[] RESERVE6 = {0x16, 0, 0, 0, 0, 0};
    private static final byte[] RELEASE6 = {0x17, 0, 0, 0, 0, 0};
    private static final byte[] RESERVE10 = {0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] RELEASE10 = {0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private PrDriver d;
    private Nexus a;
    private Nexus b;

    @BeforeEach
    void setUp() throws Exception {
        d = new PrDriver();
        a = d.nexus("a");
        b = d.nexus("b");
    }

    @AfterEach
    void tearDown() {
        d.close();
    }

    private ScsiStatus status(Nexus n, byte[] cdb) throws InterruptedException {
        return d.run(n, cdb, null).status();
    }

    @Test
    void theHolderHasTheLunToItselfExceptForAllowedCommands() throws Exception {
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6));
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6), "reserving again is fine");
        assertEquals(ScsiStatus.GOOD, d.write(a).status());
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, d.read(b).status());
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, d.run(b, PrDriver.tur(), null).status());
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, status(b, RESERVE10));
        assertEquals(ScsiStatus.GOOD, d.run(b, new byte[] {0x12, 0, 0, 0, 36, 0}, null).status(), "INQUIRY");
        assertEquals(ScsiStatus.GOOD, d.in(b, 0, 64).status(), "PERSISTENT RESERVE IN (ALLOW_ON_RESV)");
    }

    @Test
    void releaseByAnotherNexusIsASilentSuccessWithoutEffect() throws Exception {
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE10));
        assertEquals(ScsiStatus.GOOD, status(b, RELEASE6));
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, d.read(b).status());
        assertEquals(ScsiStatus.GOOD, status(a, RELEASE10));
        assertEquals(ScsiStatus.GOOD, d.read(b).status());
        assertEquals(ScsiStatus.GOOD, status(b, RELEASE6), "releasing an unreserved LUN");
    }

    @Test
    void thirdPartyAndExtentReservationsAreInvalidFieldsWithPointers() throws Exception {
        expectInvalid(new byte[] {0x16, 0x10, 0, 0, 0, 0}, 0xcc0001);
        expectInvalid(new byte[] {0x16, 0x01, 0, 0, 0, 0}, 0xc80001);
        expectInvalid(new byte[] {0x56, 0x02, 0, 0, 0, 0, 0, 0, 0, 0}, 0xc90001);
        expectInvalid(new byte[] {0x56, 0, 0, 0x07, 0, 0, 0, 0, 0, 0}, 0xca0003);
        expectInvalid(new byte[] {0x57, 0x10, 0, 0, 0, 0, 0, 0, 0, 0}, 0xcc0001);
    }

    private void expectInvalid(byte[] cdb, int sks) throws InterruptedException {
        Completion c = d.run(a, cdb, null);
        assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
        assertEquals("5/24/00", Sense.code(c.sense()));
        assertEquals(sks, Sense.sks(c.sense()), Integer.toHexString(Sense.sks(c.sense())));
    }

    @Test
    void reserveUnderAPersistentReservationSucceedsWithoutEffect() throws Exception {
        d.register(a, 1);
        d.reserve(a, 1, PrDriver.WR_EX);
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6));
        d.ok(d.out(a, PrDriver.RELEASE, PrDriver.WR_EX, 1, 0, 0));
        assertEquals(ScsiStatus.GOOD, d.write(b).status(), "no SPC-2 reservation was made");
    }

    @Test
    void lunResetClearsIt() throws Exception {
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6));
        tmf(TmfFunction.LOGICAL_UNIT_RESET, b);
        d.h.clearUnitAttentions(b, 0);
        assertEquals(ScsiStatus.GOOD, d.read(b).status());
    }

    @Test
    void targetResetClearsIt() throws Exception {
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6));
        tmf(TmfFunction.TARGET_RESET, b);
        d.h.clearUnitAttentions(b, 0);
        assertEquals(ScsiStatus.GOOD, d.read(b).status());
    }

    @Test
    void nexusResetOfTheHolderClearsItButNotAnotherNexusReset() throws Exception {
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6));
        tmf(TmfFunction.I_T_NEXUS_RESET, b);
        assertEquals("6/29/07", d.unitAttention(b));
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, d.read(b).status());
        tmf(TmfFunction.I_T_NEXUS_RESET, a);
        assertEquals(ScsiStatus.GOOD, d.read(b).status());
    }

    @Test
    void losingTheHoldersNexusClearsIt() throws Exception {
        assertEquals(ScsiStatus.GOOD, status(a, RESERVE6));
        d.h.core.nexusLost(a);
        assertEquals(ScsiStatus.GOOD, d.read(b).status());
    }

    private void tmf(TmfFunction f, Nexus n) throws Exception {
        d.h.core.taskManagement(new TmfRequest(f, n, LunAddress.encode(0), 0)).get(10, TimeUnit.SECONDS);
    }
}

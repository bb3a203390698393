package io.jctl.core.pr;

import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jctl.core.pr.PrDriver.CLEAR;
import static io.jctl.core.pr.PrDriver.EX_AC;
import static io.jctl.core.pr.PrDriver.EX_AC_AR;
import static io.jctl.core.pr.PrDriver.PREEMPT;
import static io.jctl.core.pr.PrDriver.PREEMPT_AND_ABORT;
import static io.jctl.core.pr.PrDriver.REGISTER;
import static io.jctl.core.pr.PrDriver.REGISTER_AND_IGNORE;
import static io.jctl.core.pr.PrDriver.RELEASE;
import static io.jctl.core.pr.PrDriver.RESERVE;
import static io.jctl.core.pr.PrDriver.WR_EX;
import static io.jctl.core.pr.PrDriver.WR_EX_AR;
import static io.jctl.core.pr.PrDriver.WR_EX_RO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PERSISTENT RESERVE IN / OUT through the real dispatcher and opcode table (SPC-4 5.14, ctl-facts §6.2-6.3). */
class PersistentReservationTest {
    private PrDriver d;
    private Nexus a;
    private Nexus b;
    private Nexus c;

    @BeforeEach
    void setUp() throws Exception {
        d = new PrDriver();
        a = d.nexus("a");
        b = d.nexus("b");
        c = d.nexus("c");
    }

    @AfterEach
    void tearDown() {
        d.close();
    }

    private static void conflict(Completion c) {
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, c.status());
    }

    private static void sense(Completion c, String code, int sks) {
        assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
        assertEquals(code, Sense.code(c.sense()));
        assertEquals(sks, Sense.sks(c.sense()), () -> Integer.toHexString(Sense.sks(c.sense())));
    }

    // ---- REGISTER / REGISTER AND IGNORE EXISTING KEY, READ KEYS, PRgeneration ----

    @Test
    void registerReplaceAndUnregisterEachBumpTheGeneration() throws Exception {
        assertEquals(0, d.generation(a));
        d.ok(d.out(a, REGISTER, 0, 0, 0x1111, 0));
        d.ok(d.out(b, REGISTER, 0, 0, 0x2222, 0));
        assertEquals(List.of(0x1111L, 0x2222L), d.keys(a));
        d.ok(d.out(a, REGISTER, 0, 0x1111, 0x3333, 0));
        assertEquals(List.of(0x3333L, 0x2222L), d.keys(a), "a new key keeps the registration's place");
        d.ok(d.out(a, REGISTER, 0, 0x3333, 0, 0));
        assertEquals(List.of(0x2222L), d.keys(a));
        assertEquals(4, d.generation(a));
    }

    @Test
    void registerWithTheWrongKeyIsAConflict() throws Exception {
        d.register(a, 0x1111);
        conflict(d.out(a, REGISTER, 0, 0x9999, 0x2222, 0));
        conflict(d.out(b, REGISTER, 0, 0x1111, 0x2222, 0));
        assertEquals(List.of(0x1111L), d.keys(a));
        assertEquals(1, d.generation(a), "refusals leave PRgeneration alone");
    }

    @Test
    void unregisteringWhenNotRegisteredIsASilentSuccess() throws Exception {
        d.ok(d.out(a, REGISTER, 0, 0, 0, 0));
        assertEquals(List.of(), d.keys(a));
        assertEquals(0, d.generation(a));
    }

    @Test
    void registerAndIgnoreReplacesWhateverKeyWasThere() throws Exception {
        d.register(a, 0x1111);
        d.ok(d.out(a, REGISTER_AND_IGNORE, 0, 0x4242, 0x2222, 0));
        assertEquals(List.of(0x2222L), d.keys(a));
        d.ok(d.out(a, REGISTER_AND_IGNORE, 0, 0, 0, 0));
        assertEquals(List.of(), d.keys(a));
    }

    @Test
    void readKeysIsCutToTheAllocationLengthButReportsTheFullLength() throws Exception {
        d.register(a, 0x1111);
        d.register(b, 0x2222);
        Completion c = d.in(a, 0, 12);
        d.ok(c);
        assertEquals(12, c.data().length);
        assertEquals(16, ByteBuffer.wrap(c.data()).getInt(4));
    }

    // ---- parameter list and CDB checks ----

    @Test
    void parameterListLengthOtherThan24IsALengthError() throws Exception {
        for (long len : new long[] {0, 23, 25, 0x10000}) {
            Completion c = d.run(a, PrDriver.proutCdb(REGISTER, 0, len), new byte[(int) Math.min(len, 64)]);
            assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
            assertEquals("5/1a/00", Sense.code(c.sense()), "length " + len);
        }
    }

    @Test
    void scopeAndTypeAreCheckedWithFieldPointers() throws Exception {
        d.register(a, 1);
        sense(d.out(a, RESERVE, 0x10 | WR_EX, 1, 0, 0), "5/24/00", 0xcf0002);
        for (int bad : new int[] {0, 2, 4, 9, 15}) {
            sense(d.out(a, RESERVE, bad, 1, 0, 0), "5/24/00", 0xcb0002);
        }
        sense(d.out(a, RELEASE, 2, 1, 0, 0), "5/24/00", 0xcb0002);
        sense(d.out(a, PREEMPT, 0, 1, 1, 0), "5/24/00", 0xcb0002);
    }

    @Test
    void specIptAllTgPtAndUnsupportedAptplAreInvalidFieldsOfTheParameterList() throws Exception {
        sense(d.out(a, REGISTER, 0, 0, 1, 0x08), "5/26/00", 0x8b0014);
        sense(d.out(a, REGISTER_AND_IGNORE, 0, 0, 1, 0x04), "5/26/00", 0x8a0014);
        sense(d.out(a, REGISTER, 0, 0, 1, PrDriver.APTPL), "5/26/00", 0x880014);
        d.register(a, 1);
        sense(d.out(a, RESERVE, WR_EX, 1, 0, 0x08), "5/26/00", 0x8b0014);
        d.ok(d.out(a, RESERVE, WR_EX, 1, 0, 0x04 | PrDriver.APTPL));
    }

    // ---- REGISTER AND MOVE ----

    /** A REGISTER AND MOVE parameter list naming {@code to} through relative port {@code rtpi}. */
    private static byte[] moveList(long key, long saKey, int flags, int rtpi, byte[] transportId) {
        byte[] p = new byte[24 + transportId.length];
        ByteBuffer.wrap(p).putLong(0, key).putLong(8, saKey).putShort(18, (short) rtpi)
                .putInt(20, transportId.length);
        p[17] = (byte) flags;
        System.arraycopy(transportId, 0, p, 24, transportId.length);
        return p;
    }

    private Completion move(Nexus from, int type, byte[] list) throws InterruptedException {
        return d.run(from, PrDriver.proutCdb(7, type, list.length), list);
    }

    @Test
    void registerAndMoveHandsTheReservationToAnotherInitiatorPort() throws Exception {
        d.register(a, 1);
        d.reserve(a, 1, WR_EX);
        long gen = d.generation(a);
        d.ok(move(a, WR_EX, moveList(1, 0xbbbb, 0x02, d.h.port.id(), PersistentReserveIn.transportId(b))));
        assertArrayEquals(new long[] {0xbbbb, WR_EX}, d.reservation(b));
        assertEquals(List.of(0xbbbbL), d.keys(b), "UNREG removed the old holder's registration");
        assertEquals(gen + 1, d.generation(b));
        assertEquals(ScsiStatus.GOOD, d.write(b).status());
        conflict(d.write(a));
    }

    @Test
    void registerAndMoveKeepsTheOldHolderRegisteredWithoutUnreg() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, EX_AC);
        d.ok(move(a, EX_AC, moveList(1, 3, 0, d.h.port.id(), PersistentReserveIn.transportId(b))));
        assertEquals(List.of(1L, 3L), d.keys(a), "b's key replaced, a still registered");
        assertArrayEquals(new long[] {3, EX_AC}, d.reservation(b));
    }

    @Test
    void registerAndMoveRefusals() throws Exception {
        byte[] toB = PersistentReserveIn.transportId(b);
        int port = d.h.port.id();
        d.register(a, 1);
        d.register(c, 3);
        conflict(move(a, WR_EX, moveList(1, 2, 0, port, toB)));
        d.reserve(c, 3, WR_EX);
        conflict(move(a, WR_EX, moveList(1, 2, 0, port, toB)));
        conflict(move(c, WR_EX, moveList(9, 2, 0, port, toB)));
        sense(move(c, WR_EX, moveList(3, 0, 0, port, toB)), "5/26/00", 0x800008);
        sense(move(c, WR_EX, moveList(3, 2, 0, port, PersistentReserveIn.transportId(c))), "5/26/00", 0x800018);
        sense(move(c, WR_EX, moveList(3, 2, 0, port + 7, toB)), "5/26/00", 0x800012);
        byte[] fibreChannel = toB.clone();
        fibreChannel[0] = 0x40;
        sense(move(c, WR_EX, moveList(3, 2, 0, port, fibreChannel)), "5/26/00", 0x8b0018);
        byte[] nameOnly = toB.clone();
        nameOnly[0] = 0x05;
        sense(move(c, WR_EX, moveList(3, 2, 0, port, nameOnly)), "5/26/00", 0x8f0018);
        sense(move(c, WR_EX, moveList(3, 2, PrDriver.APTPL, port, toB)), "5/26/00", 0x880011);
        Completion shortList = d.run(c, PrDriver.proutCdb(7, WR_EX, 23), new byte[23]);
        assertEquals("5/1a/00", Sense.code(shortList.sense()));
        byte[] cut = moveList(3, 2, 0, port, toB);
        ByteBuffer.wrap(cut).putInt(20, toB.length + 4);
        assertEquals("5/1a/00", Sense.code(move(c, WR_EX, cut).sense()));
        assertArrayEquals(new long[] {3, WR_EX}, d.reservation(c), "nothing moved");
        d.ok(d.out(c, RELEASE, WR_EX, 3, 0, 0));
        d.reserve(c, 3, EX_AC_AR);
        conflict(move(c, EX_AC_AR, moveList(3, 2, 0, port, toB)));
    }

    @Test
    void unknownPersistentReserveInServiceActionsAreInvalid() throws Exception {
        for (int sa = 4; sa < 0x20; sa++) {
            sense(d.in(a, sa, 64), "5/24/00", 0xcc0001);
        }
    }

    // ---- RESERVE / RELEASE / READ RESERVATION ----

    @Test
    void reserveNeedsARegistrationAndAMatchingKey() throws Exception {
        conflict(d.out(a, RESERVE, WR_EX, 0, 0, 0));
        d.register(a, 0x1111);
        conflict(d.out(a, RESERVE, WR_EX, 0x2222, 0, 0));
        d.reserve(a, 0x1111, WR_EX);
        assertArrayEquals(new long[] {0x1111, WR_EX}, d.reservation(a));
    }

    @Test
    void reserveDoesNotChangeTheGenerationAndRepeatingItIsANoOp() throws Exception {
        d.register(a, 1);
        long gen = d.generation(a);
        d.reserve(a, 1, EX_AC);
        d.reserve(a, 1, EX_AC);
        assertEquals(gen, d.generation(a));
    }

    @Test
    void anotherReservationOrAnotherTypeIsAConflict() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, WR_EX);
        conflict(d.out(b, RESERVE, WR_EX, 2, 0, 0));
        conflict(d.out(a, RESERVE, EX_AC, 1, 0, 0));
    }

    @Test
    void allRegistrantsReservationsReportKeyZeroAndEveryRegistrantHoldsThem() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, EX_AC_AR);
        assertArrayEquals(new long[] {0, EX_AC_AR}, d.reservation(a));
        d.reserve(b, 2, EX_AC_AR);
        d.ok(d.out(b, RELEASE, EX_AC_AR, 2, 0, 0));
        assertEquals("6/2a/04", d.unitAttention(a));
        assertNull(d.reservation(a), "any registrant of an all-registrants reservation releases it");
    }

    @Test
    void releaseByANonHolderIsASilentSuccessAndATypeMismatchAnInvalidRelease() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, WR_EX);
        d.ok(d.out(b, RELEASE, WR_EX, 2, 0, 0));
        assertArrayEquals(new long[] {1, WR_EX}, d.reservation(a));
        sense(d.out(a, RELEASE, EX_AC, 1, 0, 0), "5/26/04", 0);
        conflict(d.out(a, RELEASE, WR_EX, 7, 0, 0));
        d.ok(d.out(a, RELEASE, WR_EX, 1, 0, 0));
        assertNull(d.reservation(a));
    }

    @Test
    void releasingARegistrantsOnlyReservationTellsTheOtherRegistrants() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, WR_EX_RO);
        d.ok(d.out(a, RELEASE, WR_EX_RO, 1, 0, 0));
        assertEquals("6/2a/04", d.unitAttention(b));
        assertEquals("GOOD", d.unitAttention(a));
        assertEquals("GOOD", d.unitAttention(c), "not registered: not told");
    }

    @Test
    void releasingAWriteExclusiveReservationTellsNobody() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, WR_EX);
        d.ok(d.out(a, RELEASE, WR_EX, 1, 0, 0));
        assertEquals("GOOD", d.unitAttention(b));
    }

    @Test
    void unregisteringTheHolderReleasesTheReservation() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, WR_EX_RO);
        d.ok(d.out(a, REGISTER, 0, 1, 0, 0));
        assertEquals("6/2a/04", d.unitAttention(b));
        assertNull(d.reservation(b));
    }

    @Test
    void anAllRegistrantsReservationLastsUntilTheLastRegistrantLeaves() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, WR_EX_AR);
        d.ok(d.out(a, REGISTER, 0, 1, 0, 0));
        assertArrayEquals(new long[] {0, WR_EX_AR}, d.reservation(b));
        d.ok(d.out(b, REGISTER, 0, 2, 0, 0));
        assertNull(d.reservation(b));
    }

    // ---- CLEAR ----

    @Test
    void clearRemovesEverythingAndTellsTheOtherRegistrants() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(a, 1, EX_AC);
        long gen = d.generation(a);
        d.ok(d.out(b, CLEAR, 0, 2, 0, 0));
        assertEquals(List.of(), d.keys(b));
        assertNull(d.reservation(b));
        assertEquals(gen + 1, d.generation(b));
        assertEquals("6/2a/03", d.unitAttention(a), "SPC-4: RESERVATIONS PREEMPTED");
        assertEquals("GOOD", d.unitAttention(b));
        assertEquals("GOOD", d.unitAttention(c));
    }

    @Test
    void clearNeedsTheCallersKey() throws Exception {
        d.register(a, 1);
        conflict(d.out(b, CLEAR, 0, 0, 0, 0));
        conflict(d.out(a, CLEAR, 0, 2, 0, 0));
        assertEquals(List.of(1L), d.keys(a));
    }

    // ---- PREEMPT ----

    @Test
    void preemptingTheHolderTakesTheReservationAndRemovesItsRegistration() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.register(c, 3);
        d.reserve(a, 1, WR_EX);
        long gen = d.generation(b);
        d.ok(d.out(b, PREEMPT, EX_AC, 2, 1, 0));
        assertArrayEquals(new long[] {2, EX_AC}, d.reservation(b));
        assertEquals(List.of(2L, 3L), d.keys(b));
        assertEquals(gen + 1, d.generation(b));
        assertEquals("6/2a/05", d.unitAttention(a));
        assertEquals("6/2a/04", d.unitAttention(c), "the type changed: RESERVATIONS RELEASED for the others");
        conflict(d.write(a));
    }

    @Test
    void preemptingTheHolderKeepingTheTypeTellsOnlyThePreempted() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.register(c, 3);
        d.reserve(a, 1, WR_EX_RO);
        d.ok(d.out(b, PREEMPT, WR_EX_RO, 2, 1, 0));
        assertEquals("6/2a/05", d.unitAttention(a));
        assertEquals("GOOD", d.unitAttention(c));
        assertArrayEquals(new long[] {2, WR_EX_RO}, d.reservation(c));
    }

    @Test
    void preemptingRegistrationsWithoutAReservationRemovesEveryMatchingKey() throws Exception {
        d.register(a, 1);
        d.register(b, 7);
        d.register(c, 7);
        d.ok(d.out(a, PREEMPT, WR_EX, 1, 7, 0));
        assertEquals(List.of(1L), d.keys(a));
        assertNull(d.reservation(a));
        assertEquals("6/2a/05", d.unitAttention(b));
        assertEquals("6/2a/05", d.unitAttention(c));
    }

    @Test
    void preemptingAKeyNobodyHasIsAConflict() throws Exception {
        d.register(a, 1);
        conflict(d.out(a, PREEMPT, WR_EX, 1, 9, 0));
    }

    @Test
    void preemptWithKeyZeroIsInvalidUnlessAnAllRegistrantsReservationExists() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        sense(d.out(a, PREEMPT, WR_EX, 1, 0, 0), "5/26/00", 0x800008);
        d.reserve(b, 2, WR_EX);
        sense(d.out(a, PREEMPT, WR_EX, 1, 0, 0), "5/26/00", 0x800008);
        d.ok(d.out(b, RELEASE, WR_EX, 2, 0, 0));
        d.reserve(b, 2, EX_AC_AR);
        d.ok(d.out(a, PREEMPT, WR_EX, 1, 0, 0));
        assertArrayEquals(new long[] {1, WR_EX}, d.reservation(a));
        assertEquals(List.of(1L), d.keys(a));
        assertEquals("6/2a/05", d.unitAttention(b));
    }

    @Test
    void preemptAndAbortAbortsThePreemptedNexusTasks() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(b, 2, WR_EX);
        // b's WRITE waits for its data; a's PREEMPT AND ABORT is ordered behind it (RES waits for writes)
        ScsiTask write = d.h.submit(b, 0, PrDriver.write10(3));
        assertTrue(d.h.transport.receives.containsKey(write));
        ScsiTask preempt = d.h.submit(a, 0, PrDriver.proutCdb(PREEMPT_AND_ABORT, EX_AC, 24));
        assertFalse(d.h.transport.receives.containsKey(preempt), "blocked behind the write");
        d.h.transport.receives.get(write).complete(io.netty.buffer.Unpooled.wrappedBuffer(new byte[512]));
        d.h.transport.await(write);
        d.h.transport.receives.get(preempt).complete(
                io.netty.buffer.Unpooled.wrappedBuffer(PrDriver.parameters(1, 2, 0)));
        d.ok(d.h.transport.await(preempt));
        assertArrayEquals(new long[] {1, EX_AC}, d.reservation(a));
    }

    @Test
    void preemptAndAbortEndsTasksOfThePreemptedNexusThatWaitBehindIt() throws Exception {
        d.register(a, 1);
        d.register(b, 2);
        d.reserve(b, 2, WR_EX);
        ScsiTask preempt = d.h.submit(a, 0, PrDriver.proutCdb(PREEMPT_AND_ABORT, EX_AC, 24));
        ScsiTask waiting = d.h.submit(b, 0, PrDriver.read10(1));
        ScsiTask othersWaiting = d.h.submit(c, 0, PrDriver.tur());
        assertFalse(d.h.done(waiting));
        d.h.transport.receives.get(preempt).complete(
                io.netty.buffer.Unpooled.wrappedBuffer(PrDriver.parameters(1, 2, 0)));
        d.ok(d.h.transport.await(preempt));
        assertEquals(ScsiStatus.TASK_ABORTED, d.h.transport.await(waiting).status(),
                "b's READ was aborted (TAS: another nexus's action)");
        assertEquals(ScsiStatus.GOOD, d.h.transport.await(othersWaiting).status());
    }

    // ---- REPORT CAPABILITIES / READ FULL STATUS ----

    @Test
    void reportCapabilitiesWithoutAStore() throws Exception {
        Completion c = d.in(a, 2, 8);
        d.ok(c);
        assertArrayEquals(new byte[] {0, 8, 0x10, (byte) 0x90, (byte) 0xea, 0x01, 0, 0}, c.data());
    }

    @Test
    void readFullStatusDescribesEveryRegistrationWithItsIscsiTransportId() throws Exception {
        d.register(a, 0x1111);
        d.register(b, 0x2222);
        d.reserve(b, 0x2222, WR_EX_RO);
        Completion c = d.in(a, 3, 4096);
        d.ok(c);
        ByteBuffer buf = ByteBuffer.wrap(c.data());
        assertEquals(d.generation(a), buf.getInt(0) & 0xffffffffL);
        int len = buf.getInt(4);
        assertEquals(c.data().length - 8, len);
        int off = 8;
        for (Nexus n : new Nexus[] {a, b}) {
            boolean holder = n == b;
            assertEquals(n == a ? 0x1111 : 0x2222, buf.getLong(off));
            assertEquals(holder ? 1 : 0, buf.get(off + 12));
            assertEquals(holder ? WR_EX_RO : 0, buf.get(off + 13));
            assertEquals(d.h.port.id(), buf.getShort(off + 18));
            int tidLen = buf.getInt(off + 20);
            assertEquals(0, tidLen % 4);
            assertEquals(0x45, buf.get(off + 24), "iSCSI, initiator port with ISID");
            assertEquals(tidLen - 4, buf.getShort(off + 26));
            byte[] name = n.initiatorPort().getBytes(StandardCharsets.US_ASCII);
            byte[] got = new byte[name.length];
            buf.get(off + 28, got);
            assertArrayEquals(name, got);
            assertEquals(0, buf.get(off + 28 + name.length), "NUL-terminated");
            off += 24 + tidLen;
        }
        assertEquals(c.data().length, off);
    }

    @Test
    void aLunContextWithoutAttachedReservationsIsAnError() {
        LunContext bare = new LunContext(d.h.core.lun(0).orElseThrow());
        assertThrows(IllegalStateException.class, () -> ReservationState.of(bare));
    }

    // ---- resets ----

    @Test
    void persistentReservationsSurviveLunAndNexusResets() throws Exception {
        d.register(a, 1);
        d.reserve(a, 1, EX_AC);
        d.h.core.taskManagement(new TmfRequest(TmfFunction.LOGICAL_UNIT_RESET, b, LunAddress.encode(0), 0))
                .get(10, TimeUnit.SECONDS);
        d.h.core.taskManagement(new TmfRequest(TmfFunction.I_T_NEXUS_RESET, a, LunAddress.encode(0), 0))
                .get(10, TimeUnit.SECONDS);
        d.h.core.nexusLost(a);
        d.h.clearUnitAttentions(a, 0);
        assertArrayEquals(new long[] {1, EX_AC}, d.reservation(a));
        assertEquals(List.of(1L), d.keys(a));
    }
}

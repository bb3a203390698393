package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.testing.RecordingTransport.Completion;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jctl.core.tpc.CopyLists.cscd;
import static io.jctl.core.tpc.CopyLists.extendedCopy;
import static io.jctl.core.tpc.CopyLists.lid1;
import static io.jctl.core.tpc.CopyLists.lid4;
import static io.jctl.core.tpc.CopyLists.receive;
import static io.jctl.core.tpc.CopyLists.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The copy manager's reads and writes are judged as the copy command's initiator's own READ / WRITE: a LUN
 * reserved by another nexus (persistent or SPC-2) cannot be read or changed through EXTENDED COPY or a ROD token
 * sent to another LUN of the port.
 */
class CopyReservationTest {
    private static final int REGISTER_AND_IGNORE = 6;
    private static final int RESERVE = 1;
    private static final long HOLDER_KEY = 0xaaaa;
    private static final long OTHER_KEY = 0xbbbb;

    private TpcHarness h;
    /** Holds the reservations. */
    private Nexus holder;
    /** Sends the copies. */
    private Nexus other;
    private Lun manager;
    private Lun reserved;
    private final byte[] managerData = pattern(64 * 512, 1);
    private final byte[] reservedData = pattern(64 * 512, 2);

    @BeforeEach
    void setUp() throws Exception {
        h = new TpcHarness();
        holder = h.nexus("holder");
        other = h.nexus("other");
        manager = h.disk(0, 4096, 512);
        reserved = h.disk(1, 4096, 512);
        h.ready(holder, 0, 1);
        h.ready(other, 0, 1);
        h.write(holder, 0, 0, managerData);
        h.write(holder, 1, 0, reservedData);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 13 + seed + (i >> 9));
        }
        return b;
    }

    private void persistentReservation(int type) throws InterruptedException {
        h.reserveOut(holder, 1, REGISTER_AND_IGNORE, 0, 0, HOLDER_KEY);
        h.reserveOut(holder, 1, RESERVE, type, HOLDER_KEY, 0);
    }

    /** EXTENDED COPY sent by {@code n} to the copy manager LUN: 64 blocks from LBA 0 of one LUN to LBA 1000 of the other. */
    private Completion copy(Nexus n, Lun from, Lun to) throws InterruptedException {
        byte[] list = lid1(1, 0, new byte[][] {cscd(from), cscd(to)}, new byte[][] {segment(0, 1, 64, 0, 1000)});
        return h.run(n, 0, extendedCopy(0, list.length), list);
    }

    /** COPY ABORTED 0Dh/01h naming the segment and, as segment pointer, the refusing target's CSCD descriptor. */
    private static void assertRefusedCopy(Completion c, int segment, int cscdOffset) {
        assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
        assertEquals("a/0d/01", Sense.code(c.sense()), "COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE");
        assertEquals(segment, CdbFields.u32(c.sense(), 8), "COMMAND-SPECIFIC INFORMATION: the failed segment");
        assertArrayEquals(new byte[] {(byte) 0x80, 0, (byte) cscdOffset}, Arrays.copyOfRange(c.sense(), 15, 18),
                "segment pointer: the CSCD descriptor in the parameter list");
    }

    /** In {@link #copy}'s list the source CSCD starts at byte 16, the destination's at 48. */
    private static final int SOURCE_CSCD = 16;
    private static final int DESTINATION_CSCD = 48;

    private void assertCopied(Completion c, byte[] expected, Lun to) {
        assertEquals(ScsiStatus.GOOD, c.status(), () -> Sense.code(c.sense()));
        assertArrayEquals(expected, Arrays.copyOfRange(h.bytes(to.id()), 1000 * 512, 1064 * 512));
    }

    private void assertUntouched(Lun lun) {
        assertArrayEquals(new byte[64 * 512], Arrays.copyOfRange(h.bytes(lun.id()), 1000 * 512, 1064 * 512),
                "nothing was written");
    }

    /**
     * SPC-4 table of persistent reservation types against a non-holder: reading is allowed under the Write
     * Exclusive types, writing under none; a registrant has full access under the Registrants Only types.
     */
    @ParameterizedTest(name = "type {0}: registered={1}")
    @CsvSource({
        "1, false, true, false", // Write Exclusive: reads pass, writes conflict
        "3, false, false, false", // Exclusive Access: both conflict
        "5, false, true, false", // Write Exclusive - Registrants Only, not registered
        "6, false, false, false", // Exclusive Access - Registrants Only, not registered
        "5, true, true, true", // a registrant of a Registrants Only type is a holder
        "6, true, true, true",
        "1, true, true, false", // registered but not the holder of a Write Exclusive reservation
        "3, true, false, false",
    })
    void persistentReservationJudgesTheCopyAsTheSendersOwnIo(int type, boolean registered, boolean mayRead,
                                                            boolean mayWrite) throws Exception {
        persistentReservation(type);
        if (registered) {
            h.reserveOut(other, 1, REGISTER_AND_IGNORE, 0, 0, OTHER_KEY);
        }
        Completion read = copy(other, reserved, manager);
        if (mayRead) {
            assertCopied(read, Arrays.copyOf(reservedData, 64 * 512), manager);
        } else {
            assertRefusedCopy(read, 0, SOURCE_CSCD);
            assertUntouched(manager);
        }
        Completion write = copy(other, manager, reserved);
        if (mayWrite) {
            assertCopied(write, managerData, reserved);
        } else {
            assertRefusedCopy(write, 0, DESTINATION_CSCD);
            assertUntouched(reserved);
        }
    }

    @Test
    void theHolderCopiesThroughItsOwnReservation() throws Exception {
        persistentReservation(3);
        assertCopied(copy(holder, manager, reserved), managerData, reserved);
    }

    @Test
    void spc2ReservationShutsOtherNexusesOutOfBothDirections() throws Exception {
        assertEquals(ScsiStatus.GOOD, h.run(holder, 1, new byte[] {0x16, 0, 0, 0, 0, 0}).status());
        assertRefusedCopy(copy(other, reserved, manager), 0, SOURCE_CSCD);
        assertUntouched(manager);
        assertRefusedCopy(copy(other, manager, reserved), 0, DESTINATION_CSCD);
        assertUntouched(reserved);
        assertCopied(copy(holder, manager, reserved), managerData, reserved);
    }

    @Test
    void statusNamesTheSegmentThatMetTheConflict() throws Exception {
        Lun free = h.disk(2, 4096, 512);
        h.ready(holder, 0, 1, 2);
        h.ready(other, 0, 1, 2);
        persistentReservation(1);
        byte[] list = lid4(7, 0, new byte[][] {cscd(manager), cscd(free), cscd(reserved)},
                new byte[][] {segment(0, 1, 8, 0, 0), segment(0, 2, 8, 0, 1000)});
        assertRefusedCopy(h.run(other, 0, extendedCopy(1, list.length), list), 1, 48 + 2 * 32);
        SenseData kept = ParameterList.operations(h.core.context(manager), h.clock::get).find(other, 7).sense();
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, kept.forwardedStatus(), "the refusal is forwarded");
        byte[] descriptor = kept.encode(true, 0);
        assertArrayEquals(new byte[] {0x0c, 2, SenseData.FORWARDED_FROM_COPY_DESTINATION, 0x18},
                Arrays.copyOfRange(descriptor, descriptor.length - 4, descriptor.length),
                "descriptor format: forwarded sense data descriptor, copy destination, RESERVATION CONFLICT");
        Completion status = h.run(other, 0, receive(0x05, 7, 1024));
        assertEquals(ScsiStatus.GOOD, status.status());
        byte[] d = status.data();
        assertEquals(0x02, d[5], "COPY OPERATION STATUS: completed with errors");
        assertEquals(0x02, d[12], "the EXTENDED COPY ended with CHECK CONDITION");
        assertEquals(1, CdbFields.u16(d, 24), "one segment was processed before the conflict");
        byte[] sense = Arrays.copyOfRange(d, 32, 32 + d[14]);
        assertEquals("a/0d/01", Sense.code(sense));
        assertEquals(1, CdbFields.u32(sense, 8), "COMMAND-SPECIFIC INFORMATION: segment 1");
        assertArrayEquals(Arrays.copyOf(managerData, 8 * 512), Arrays.copyOf(h.bytes(2), 8 * 512),
                "the segment before the conflict was copied");
        assertUntouched(reserved);
    }

    @Test
    void reservationTakenDuringACopyStopsItAtTheNextChunk() throws Exception {
        h.reserveOut(holder, 1, REGISTER_AND_IGNORE, 0, 0, HOLDER_KEY);
        h.storage(1).close(true);
        byte[] list = lid1(1, 0, new byte[][] {cscd(manager), cscd(reserved)},
                new byte[][] {segment(0, 1, 3000, 0, 1000)});
        ScsiTask copy = h.submit(other, 0, extendedCopy(0, list.length), list);
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 2, "the first chunk's write (after setUp's)");
        // RESERVE waits for the chunk in flight; the next chunk's write comes after it (and if it has to wait for
        // it, is judged again when it may run).
        CompletableFuture<Void> reserve = CompletableFuture.runAsync(() -> {
            try {
                h.reserveOut(holder, 1, RESERVE, 1, HOLDER_KEY, 0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TpcHarness.awaitTrue(() -> h.core.context(reserved).tasks().size() >= 2 || reserve.isDone(),
                "RESERVE to queue");
        assertFalse(reserve.isDone(), () -> "RESERVE waits for the copy's write: " + reserve);
        h.storage(1).open();
        reserve.get(10, TimeUnit.SECONDS);
        assertRefusedCopy(h.transport.await(copy), 0, DESTINATION_CSCD);
        assertEquals(2, h.storage(1).writesStarted.get(), "no write after the reservation");
    }

    @Test
    void copyWriteWaitingBehindAReservationIsJudgedWhenItMayRun() throws Exception {
        h.reserveOut(holder, 1, REGISTER_AND_IGNORE, 0, 0, HOLDER_KEY);
        h.storage(1).close(true);
        byte[] w = new byte[16];
        w[0] = (byte) 0x8a;
        CdbFields.put64(w, 2, 2000);
        CdbFields.put32(w, 10, 1);
        ScsiTask write = h.submit(holder, 1, w, pattern(512, 3));
        TpcHarness.awaitTrue(() -> h.storage(1).writesStarted.get() == 2, "the holder's write");
        CompletableFuture<Void> reserve = CompletableFuture.runAsync(() -> {
            try {
                h.reserveOut(holder, 1, RESERVE, 1, HOLDER_KEY, 0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TpcHarness.awaitTrue(() -> h.core.context(reserved).tasks().size() == 2, "RESERVE to wait for the write");
        byte[] list = lid1(1, 0, new byte[][] {cscd(manager), cscd(reserved)}, new byte[][] {segment(0, 1, 8, 0, 1000)});
        ScsiTask copy = h.submit(other, 0, extendedCopy(0, list.length), list);
        TpcHarness.awaitTrue(() -> h.core.context(reserved).tasks().size() == 3, "the copy's write to wait for RESERVE");
        h.storage(1).open();
        assertEquals(ScsiStatus.GOOD, h.transport.await(write).status());
        reserve.get(10, TimeUnit.SECONDS);
        assertRefusedCopy(h.transport.await(copy), 0, DESTINATION_CSCD);
        assertEquals(2, h.storage(1).writesStarted.get(), "the copy never wrote");
        assertUntouched(reserved);
    }

    // ---- ROD tokens ----

    private static byte[] tokenCdb(int serviceAction, long listId, int length) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x83;
        c[1] = (byte) serviceAction;
        CdbFields.put32(c, 6, listId);
        CdbFields.put32(c, 10, length);
        return c;
    }

    private static byte[] range(long lba, int blocks) {
        byte[] r = new byte[16];
        CdbFields.put64(r, 0, lba);
        CdbFields.put32(r, 8, blocks);
        return r;
    }

    /** POPULATE TOKEN by {@code n} for 64 blocks from LBA 0 of {@code lun}; returns the token. */
    private byte[] populate(Nexus n, Lun lun) throws InterruptedException {
        byte[] p = new byte[32];
        CdbFields.put16(p, 0, p.length - 2);
        CdbFields.put16(p, 14, 16);
        System.arraycopy(range(0, 64), 0, p, 16, 16);
        assertEquals(ScsiStatus.GOOD, h.run(n, lun.id(), tokenCdb(0x10, 3, p.length), p).status());
        byte[] info = new byte[16];
        info[0] = (byte) 0x84;
        info[1] = 0x07;
        CdbFields.put32(info, 2, 3);
        CdbFields.put32(info, 10, 1024);
        Completion c = h.run(n, lun.id(), info);
        assertEquals(ScsiStatus.GOOD, c.status());
        return Arrays.copyOfRange(c.data(), 38, 38 + 512);
    }

    private Completion writeUsingToken(Nexus n, Lun lun, byte[] token) throws InterruptedException {
        byte[] p = new byte[536 + 16];
        CdbFields.put16(p, 0, p.length - 2);
        System.arraycopy(token, 0, p, 16, 512);
        CdbFields.put16(p, 534, 16);
        System.arraycopy(range(1000, 64), 0, p, 536, 16);
        return h.run(n, lun.id(), tokenCdb(0x11, 4, p.length), p);
    }

    @Test
    void tokenOfAReservedLunCannotBeReadThroughAnotherNexus() throws Exception {
        persistentReservation(3);
        byte[] token = populate(holder, reserved);
        Completion c = writeUsingToken(other, manager, token);
        assertEquals(ScsiStatus.CHECK_CONDITION, c.status());
        assertEquals("a/0d/01", Sense.code(c.sense()), "the token's source refused the sender's read");
        assertUntouched(manager);
        assertCopied(writeUsingToken(holder, manager, token), Arrays.copyOf(reservedData, 64 * 512), manager);
    }

    @Test
    void tokenMadeBeforeTheReservationIsJudgedWhenUsed() throws Exception {
        byte[] token = populate(other, reserved);
        persistentReservation(3);
        assertEquals("a/0d/01", Sense.code(writeUsingToken(other, manager, token).sense()));
        assertUntouched(manager);
    }

    @Test
    void tokenOfAWriteExclusiveLunMayBeReadButNotWrittenByOthers() throws Exception {
        byte[] token = populate(other, manager);
        persistentReservation(1);
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, writeUsingToken(other, reserved, token).status(),
                "WRITE USING TOKEN to the reserved LUN is refused before it starts");
        assertUntouched(reserved);
        byte[] fromReserved = populate(holder, reserved);
        assertCopied(writeUsingToken(other, manager, fromReserved), Arrays.copyOf(reservedData, 64 * 512), manager);
    }
}

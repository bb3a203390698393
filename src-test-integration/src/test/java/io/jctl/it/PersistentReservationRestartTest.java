package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.RawIscsi;
import io.jctl.it.support.RawIscsi.Pdu;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * APTPL end to end: a registration and reservation made with APTPL=1 are there again after the daemon restarts
 * on the same state directory; once an initiator registers with APTPL=0 the saved state is gone and the next
 * restart starts without reservations.
 */
class PersistentReservationRestartTest {
    private static final long KEY = 0x1122334455667788L;
    private static final int WRITE_EXCLUSIVE = 1;
    private static final int REGISTER = 0;
    private static final int RESERVE = 1;
    private static final int APTPL = 0x01;
    private static final int GOOD = 0x00;
    private static final int CHECK_CONDITION = 0x02;

    /** Status, sense (without its length prefix) and Data-In of one command. */
    record Result(int status, byte[] sense, byte[] data) {
    }

    /** A session that numbers its own commands. */
    static final class Session implements AutoCloseable {
        final RawIscsi c;
        int cmdSn;

        Session(Daemon daemon) throws IOException {
            c = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET, Map.of());
            cmdSn = c.cmdSn();
        }

        /** Runs a command on LUN 0; Data-Out goes when the target asks for it (R2T). */
        Result run(byte[] cdb, byte[] dataOut, int dataInLength) throws IOException {
            int itt = c.newItt();
            int flags = 0x80 | 0x01 | (dataOut != null ? 0x20 : 0) | (dataInLength > 0 ? 0x40 : 0);
            ByteBuffer bhs = c.header(RawIscsi.OP_SCSI_COMMAND, flags, itt);
            bhs.putInt(20, dataOut != null ? dataOut.length : dataInLength).putInt(24, cmdSn++);
            bhs.put(32, cdb);
            c.send(bhs.array(), new byte[0], false);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            while (true) {
                Pdu p = c.next().orElseThrow(() -> new IOException("the target closed the connection"));
                if (p.itt() != itt) {
                    continue; // NOP-In pings and the like
                }
                switch (p.opcode()) {
                    case 0x31 -> { // R2T
                        int offset = p.intAt(40);
                        int length = p.intAt(44);
                        ByteBuffer out = c.header(0x05, 0x80, itt);
                        out.putInt(20, p.intAt(20)).putInt(40, offset);
                        c.send(out.array(), Arrays.copyOfRange(dataOut, offset, offset + length), false);
                    }
                    case 0x25 -> { // Data-In, perhaps with status
                        in.writeBytes(p.data());
                        if ((p.byteAt(1) & 0x01) != 0) {
                            return new Result(p.byteAt(3), new byte[0], in.toByteArray());
                        }
                    }
                    case RawIscsi.OP_SCSI_RESPONSE -> {
                        byte[] d = p.data();
                        byte[] sense = d.length >= 2 ? Arrays.copyOfRange(d, 2, 2 + ((d[0] & 0xff) << 8 | (d[1] & 0xff)))
                                : new byte[0];
                        return new Result(p.byteAt(3), sense, in.toByteArray());
                    }
                    default -> fail("unexpected " + p);
                }
            }
        }

        /** Runs a command, first taking any unit attention a restart or a new LUN left for this nexus. */
        Result runPastUnitAttention(byte[] cdb, byte[] dataOut, int dataInLength) throws IOException {
            Result r = run(cdb, dataOut, dataInLength);
            for (int i = 0; i < 4 && r.status() == CHECK_CONDITION && r.sense().length > 2
                    && (r.sense()[2] & 0x0f) == 6; i++) {
                r = run(cdb, dataOut, dataInLength);
            }
            return r;
        }

        Result out(int serviceAction, int type, long key, long saKey, int flags) throws IOException {
            byte[] cdb = {0x5f, (byte) serviceAction, (byte) type, 0, 0, 0, 0, 0, 24, 0};
            byte[] params = new byte[24];
            ByteBuffer.wrap(params).putLong(0, key).putLong(8, saKey);
            params[20] = (byte) flags;
            return runPastUnitAttention(cdb, params, 0);
        }

        byte[] in(int serviceAction) throws IOException {
            Result r = runPastUnitAttention(new byte[] {0x5e, (byte) serviceAction, 0, 0, 0, 0, 0, 0x10, 0, 0},
                    null, 4096);
            assertEquals(GOOD, r.status(), "PERSISTENT RESERVE IN " + serviceAction);
            return r.data();
        }

        @Override
        public void close() throws IOException {
            c.logout();
        }
    }

    @Test
    void aptplKeepsKeysAndReservationAcrossARestartUntilTurnedOff(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test)) {
            Path saved = daemon.workDir().resolve("state/reservations/MYDEVID0000.json");
            try (Session s = new Session(daemon)) {
                byte[] caps = s.in(2);
                assertEquals(0x01, caps[2] & 0x01, "PTPL_C");
                assertEquals(GOOD, s.out(REGISTER, 0, 0, KEY, APTPL).status());
                assertEquals(GOOD, s.out(RESERVE, WRITE_EXCLUSIVE, KEY, 0, 0).status());
            }
            assertTrue(Files.exists(saved), "APTPL saved the state");

            daemon.restart();
            try (Session s = new Session(daemon)) {
                assertArrayEquals(keys(KEY), Arrays.copyOfRange(s.in(0), 8, 16), "READ KEYS after the restart");
                ByteBuffer res = ByteBuffer.wrap(s.in(1));
                assertEquals(16, res.getInt(4), "a reservation is reported");
                assertEquals(KEY, res.getLong(8));
                assertEquals(WRITE_EXCLUSIVE, res.get(21) & 0x0f);
                assertEquals(0x01, s.in(2)[3] & 0x01, "PTPL_A");
                // the same key again, now with APTPL=0: nothing is to survive the next restart
                assertEquals(GOOD, s.out(REGISTER, 0, KEY, KEY, 0).status());
            }
            assertFalse(Files.exists(saved), "APTPL=0 removed the saved state");

            daemon.restart();
            try (Session s = new Session(daemon)) {
                assertEquals(0, ByteBuffer.wrap(s.in(0)).getInt(4), "no keys after the second restart");
                assertEquals(0, ByteBuffer.wrap(s.in(1)).getInt(4), "no reservation after the second restart");
            }
            daemon.awaitLog(0, "restored 1 registration\\(s\\) and a WR_EX reservation saved with APTPL",
                    java.time.Duration.ofSeconds(5));
        }
    }

    private static byte[] keys(long key) {
        return ByteBuffer.allocate(8).putLong(key).array();
    }
}

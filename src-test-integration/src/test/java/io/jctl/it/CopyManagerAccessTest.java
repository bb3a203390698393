package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.RawIscsi;
import io.jctl.it.support.RawIscsi.Pdu;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * EXTENDED COPY over iSCSI with two initiators: the copy manager's I/O is judged as the sending initiator's own
 * (a LUN Write Exclusive reserved by one cannot be changed by the other through a copy sent to another LUN), and an
 * ORDERED command sent to the copy manager LUN during a copy of that LUN waits for the copy instead of deadlocking
 * it. Every wait is bounded by the socket timeout.
 */
class CopyManagerAccessTest {
    private static final String TARGET = "iqn.2026-11.io.jctl:copy";
    private static final String OTHER_INITIATOR = "iqn.2026-11.io.jctl.test:init2";
    private static final String CONFIG = """
            portal-group:
              default:
                listen: 127.0.0.1:@PORT@
                discovery-auth-group: no-authentication
            target:
              %s:
                auth-group: no-authentication
                portal-group: default
                lun:
                  0:
                    backend: ramdisk
                    size: 64M
                    options:
                      capacity: 64M
                  1:
                    backend: ramdisk
                    size: 64M
                    options:
                      capacity: 64M
            """.formatted(TARGET);
    private static final int GOOD = 0x00;
    private static final int CHECK_CONDITION = 0x02;
    private static final int SIMPLE = 1;
    private static final int ORDERED = 2;
    private static final int SELF = 0xffff;

    record Result(int status, byte[] sense, byte[] data) {
        String senseCode() {
            return sense.length < 14 ? "none"
                    : String.format("%x/%02x/%02x", sense[2] & 0x0f, sense[12] & 0xff, sense[13] & 0xff);
        }
    }

    /** A session that can have several commands outstanding; Data-Out goes when the target asks (R2T). */
    static final class Session implements AutoCloseable {
        final RawIscsi c;
        int cmdSn;
        private final Map<Integer, byte[]> dataOut = new HashMap<>();
        private final Map<Integer, Integer> luns = new HashMap<>();
        private final Map<Integer, ByteArrayOutputStream> dataIn = new HashMap<>();
        private final Map<Integer, Result> done = new HashMap<>();

        Session(Daemon daemon, String initiator) throws IOException {
            c = RawIscsi.login(daemon.port(), initiator, TARGET, Map.of());
            cmdSn = c.cmdSn();
        }

        int start(int lun, int attribute, byte[] cdb, byte[] out, int inLength) throws IOException {
            int itt = c.newItt();
            int flags = 0x80 | attribute | (out != null ? 0x20 : 0) | (inLength > 0 ? 0x40 : 0);
            ByteBuffer bhs = c.header(RawIscsi.OP_SCSI_COMMAND, flags, itt);
            bhs.put(9, (byte) lun);
            bhs.putInt(20, out != null ? out.length : inLength).putInt(24, cmdSn++);
            bhs.put(32, cdb);
            c.send(bhs.array(), new byte[0], false);
            dataOut.put(itt, out);
            luns.put(itt, lun);
            dataIn.put(itt, new ByteArrayOutputStream());
            return itt;
        }

        Result await(int itt) throws IOException {
            while (!done.containsKey(itt)) {
                Pdu p = c.next().orElseThrow(() -> new IOException("the target closed the connection"));
                int t = p.itt();
                switch (p.opcode()) {
                    case 0x31 -> { // R2T
                        int offset = p.intAt(40);
                        int length = p.intAt(44);
                        ByteBuffer out = c.header(0x05, 0x80, t);
                        out.put(9, (byte) (int) luns.get(t));
                        out.putInt(20, p.intAt(20)).putInt(40, offset);
                        c.send(out.array(), Arrays.copyOfRange(dataOut.get(t), offset, offset + length), false);
                    }
                    case 0x25 -> { // Data-In, perhaps with status
                        dataIn.get(t).writeBytes(p.data());
                        if ((p.byteAt(1) & 0x01) != 0) {
                            done.put(t, new Result(p.byteAt(3), new byte[0], dataIn.get(t).toByteArray()));
                        }
                    }
                    case RawIscsi.OP_SCSI_RESPONSE -> {
                        byte[] d = p.data();
                        byte[] sense = d.length >= 2
                                ? Arrays.copyOfRange(d, 2, 2 + ((d[0] & 0xff) << 8 | (d[1] & 0xff))) : new byte[0];
                        done.put(t, new Result(p.byteAt(3), sense, dataIn.get(t).toByteArray()));
                    }
                    case RawIscsi.OP_NOP_IN, RawIscsi.OP_ASYNC_MESSAGE -> {
                    }
                    default -> fail("unexpected " + p);
                }
            }
            return done.remove(itt);
        }

        Result run(int lun, byte[] cdb, byte[] out, int inLength) throws IOException {
            return await(start(lun, SIMPLE, cdb, out, inLength));
        }

        /** Takes the unit attentions a new nexus has on both LUNs. */
        void ready() throws IOException {
            for (int lun = 0; lun < 2; lun++) {
                for (int i = 0; i < 6 && run(lun, new byte[6], null, 0).status() != GOOD; i++) {
                    // POWER ON, then REPORTED LUNS DATA HAS CHANGED
                }
            }
        }

        void prout(int lun, int serviceAction, int type, long key, long saKey) throws IOException {
            byte[] params = new byte[24];
            ByteBuffer.wrap(params).putLong(0, key).putLong(8, saKey);
            Result r = run(lun, new byte[] {0x5f, (byte) serviceAction, (byte) type, 0, 0, 0, 0, 0, 24, 0}, params, 0);
            assertEquals(GOOD, r.status(), "PERSISTENT RESERVE OUT " + serviceAction + ": " + r.senseCode());
        }

        @Override
        public void close() throws IOException {
            c.logout();
        }
    }

    private static byte[] rw16(int opcode, long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        ByteBuffer.wrap(cdb).putLong(2, lba).putInt(10, blocks);
        return cdb;
    }

    /** An identification CSCD naming a LUN by its T10 vendor ID designator (VPD 83h). */
    private static byte[] cscd(String vendorId) {
        byte[] d = new byte[32];
        byte[] id = vendorId.getBytes(StandardCharsets.US_ASCII);
        d[0] = (byte) 0xe4;
        d[4] = 0x02;
        d[5] = 0x01;
        d[7] = (byte) id.length;
        System.arraycopy(id, 0, d, 8, id.length);
        d[30] = 0x02; // disk block length 512
        return d;
    }

    /** A LID1 EXTENDED COPY: parameter list with LUN 0 and LUN 1 as CSCDs 0 and 1 and one block-to-block segment. */
    private static byte[] copyList(int src, int dst, int blocks, long srcLba, long dstLba) {
        ByteBuffer b = ByteBuffer.allocate(16 + 64 + 28);
        b.put(0, (byte) 1).putShort(2, (short) 64).putInt(8, 28);
        b.put(16, cscd("FREEBSD MYDEVID0000")).put(48, cscd("FREEBSD MYDEVID0001"));
        b.put(80, (byte) 0x02).putShort(82, (short) 0x18).putShort(84, (short) src).putShort(86, (short) dst);
        b.putShort(90, (short) blocks).putLong(92, srcLba).putLong(100, dstLba);
        return b.array();
    }

    private static byte[] extendedCopy(int length) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x83;
        ByteBuffer.wrap(cdb).putInt(10, length);
        return cdb;
    }

    @Test
    void anotherInitiatorsReservationHoldsAgainstCopiesSentToAnotherLun(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test, CONFIG);
             Session holder = new Session(daemon, Daemon.TEST_INITIATOR);
             Session other = new Session(daemon, OTHER_INITIATOR)) {
            holder.ready();
            other.ready();
            byte[] data = new byte[8 * 512];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7 + 1);
            }
            assertEquals(GOOD, holder.run(0, rw16(0x8a, 0, 8), data, 0).status());
            holder.prout(1, 6, 0, 0, 0xabcL); // REGISTER AND IGNORE EXISTING KEY
            holder.prout(1, 1, 1, 0xabcL, 0); // RESERVE, Write Exclusive
            byte[] list = copyList(0, 1, 8, 0, 0);

            Result refused = other.run(0, extendedCopy(list.length), list, 0);
            assertEquals(CHECK_CONDITION, refused.status());
            assertEquals("a/0d/01", refused.senseCode(), "COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE");
            assertArrayEquals(new byte[8 * 512], other.run(1, rw16(0x88, 0, 8), null, 8 * 512).data(),
                    "the reserved LUN is unchanged");

            assertEquals(GOOD, holder.run(0, extendedCopy(list.length), list, 0).status(), "the holder may copy");
            assertArrayEquals(data, holder.run(1, rw16(0x88, 0, 8), null, 8 * 512).data());
            holder.prout(1, 3, 0, 0xabcL, 0); // CLEAR
        }
    }

    @Test
    void orderedCommandDuringACopyOfItsLunWaitsForTheCopy(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test, CONFIG);
             Session copier = new Session(daemon, Daemon.TEST_INITIATOR);
             Session other = new Session(daemon, OTHER_INITIATOR)) {
            copier.ready();
            other.ready();
            byte[] list = copyList(SELF, SELF, 60000, 0, 65536); // about 30 chunks of 1 MiB on LUN 0
            int copy = copier.start(0, SIMPLE, extendedCopy(list.length), list, 0);
            int ordered = other.start(0, ORDERED, new byte[6], null, 0);
            assertEquals(GOOD, copier.await(copy).status(), "the copy ends");
            assertEquals(GOOD, other.await(ordered).status(), "then the ORDERED TEST UNIT READY");
        }
    }
}

package io.jctl.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A deliberately small iSCSI initiator over a plain socket, for tests that must send what no real initiator sends:
 * it logs in (AuthMethod None), then writes hand-made PDUs and reads whatever comes back.
 */
public final class RawIscsi implements AutoCloseable {

    public static final int OP_NOP_OUT = 0x00;
    public static final int OP_SCSI_COMMAND = 0x01;
    public static final int OP_LOGIN_REQUEST = 0x03;
    public static final int OP_LOGOUT_REQUEST = 0x06;
    public static final int OP_NOP_IN = 0x20;
    public static final int OP_SCSI_RESPONSE = 0x21;
    public static final int OP_LOGIN_RESPONSE = 0x23;
    public static final int OP_LOGOUT_RESPONSE = 0x26;
    public static final int OP_ASYNC_MESSAGE = 0x32;
    public static final int OP_REJECT = 0x3f;
    private static final int IMMEDIATE = 0x40;
    private static final int FINAL = 0x80;
    private static final int BHS = 48;
    private static final int UNSOLICITED = 0xffffffff;

    /** One PDU as received: its 48-byte header and data segment. */
    public record Pdu(byte[] bhs, byte[] data) {
        public int opcode() {
            return bhs[0] & 0x3f;
        }

        public int itt() {
            return ByteBuffer.wrap(bhs).getInt(16);
        }

        public int intAt(int offset) {
            return ByteBuffer.wrap(bhs).getInt(offset);
        }

        public int byteAt(int offset) {
            return bhs[offset] & 0xff;
        }

        @Override
        public String toString() {
            return String.format("PDU opcode 0x%02x itt 0x%08x dsl %d", opcode(), itt(), data.length);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<String, String> negotiated = new LinkedHashMap<>();
    private boolean headerDigest;
    private boolean dataDigest;
    private int cmdSn = 1;
    private int expStatSn;
    private int maxCmdSn;
    private int nextItt = 1;

    private RawIscsi(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and logs in to TARGET; OPERATIONAL holds extra keys to offer (for example HeaderDigest=CRC32C). */
    public static RawIscsi login(int port, String initiator, String target, Map<String, String> operational)
            throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        RawIscsi c = new RawIscsi(socket);
        try {
            c.doLogin(initiator, target, operational);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return c;
    }

    private void doLogin(String initiator, String target, Map<String, String> operational) throws IOException {
        Map<String, String> security = new LinkedHashMap<>();
        security.put("InitiatorName", initiator);
        security.put("TargetName", target);
        security.put("SessionType", "Normal");
        security.put("AuthMethod", "None");
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put("HeaderDigest", "None");
        ops.put("DataDigest", "None");
        ops.put("MaxRecvDataSegmentLength", "262144");
        ops.put("ErrorRecoveryLevel", "0");
        ops.putAll(operational);
        int itt = nextItt++;
        int tsih = 0;
        int stage = 0;
        Map<String, String> keys = security;
        for (int round = 0; round < 8; round++) {
            int next = stage == 0 ? 1 : 3;
            ByteBuffer bhs = header(IMMEDIATE | OP_LOGIN_REQUEST, 0x80 | (stage << 2) | next, itt);
            bhs.put(2, (byte) 0).put(3, (byte) 0);
            bhs.put(8, (byte) 0x80).put(9, (byte) 0x4a).put(10, (byte) 0x43).put(11, (byte) 0x54).put(12, (byte) 0x4c);
            bhs.putShort(14, (short) tsih);
            bhs.putInt(24, cmdSn).putInt(28, expStatSn);
            send(bhs.array(), textData(keys), false);
            Pdu rsp = receive(false);
            if (rsp.opcode() != OP_LOGIN_RESPONSE) throw new IOException("expected a login response, got " + rsp);
            if (rsp.byteAt(36) != 0) {
                throw new IOException(String.format("login rejected: status class %d detail %d",
                        rsp.byteAt(36), rsp.byteAt(37)));
            }
            negotiated.putAll(parseText(rsp.data()));
            tsih = rsp.intAt(12) & 0xffff;
            expStatSn = rsp.intAt(24) + 1;
            cmdSn = rsp.intAt(28);
            maxCmdSn = rsp.intAt(32);
            boolean transit = (rsp.byteAt(1) & 0x80) != 0;
            keys = Map.of();
            if (transit && (rsp.byteAt(1) & 0x03) == 3) {
                headerDigest = "CRC32C".equals(negotiated.get("HeaderDigest"));
                dataDigest = "CRC32C".equals(negotiated.get("DataDigest"));
                return;
            }
            if (transit) {
                stage = 1;
                keys = ops;
            }
        }
        throw new IOException("login did not reach the full feature phase; keys so far " + negotiated);
    }

    /** Keys the target answered during login. */
    public Map<String, String> negotiated() {
        return negotiated;
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public int cmdSn() {
        return cmdSn;
    }

    public int maxCmdSn() {
        return maxCmdSn;
    }

    public int newItt() {
        return nextItt++;
    }

    /** The target's MaxRecvDataSegmentLength: the most it accepts in one data segment (RFC 7143 default 8192). */
    public int targetMaxRecvDataSegmentLength() {
        return Integer.parseInt(negotiated.getOrDefault("MaxRecvDataSegmentLength", "8192"));
    }

    /** A BHS with opcode, flags byte, ITT and the current ExpStatSN filled in. */
    public ByteBuffer header(int opcodeByte, int flags, int itt) {
        ByteBuffer bhs = ByteBuffer.allocate(BHS);
        bhs.put(0, (byte) opcodeByte).put(1, (byte) flags).putInt(16, itt).putInt(28, expStatSn);
        return bhs;
    }

    /** An immediate NOP-Out ping that asks for a NOP-In echo. */
    public byte[] nopOut(int itt) {
        ByteBuffer bhs = header(IMMEDIATE | OP_NOP_OUT, FINAL, itt);
        bhs.putInt(20, UNSOLICITED).putInt(24, cmdSn);
        return bhs.array();
    }

    /** TEST UNIT READY to LUN 0 with the given CmdSN (not immediate). */
    public byte[] testUnitReady(int itt, int commandSn) {
        ByteBuffer bhs = header(OP_SCSI_COMMAND, FINAL | 0x01, itt);
        bhs.putInt(20, 0).putInt(24, commandSn);
        return bhs.array();
    }

    /** Sends BHS + DATA, with a header digest when one was negotiated (a wrong one when BAD_DIGEST). */
    public void send(byte[] bhs, byte[] data, boolean badDigest) throws IOException {
        ByteBuffer dsl = ByteBuffer.wrap(bhs);
        int length = data.length;
        dsl.put(5, (byte) (length >>> 16)).put(6, (byte) (length >>> 8)).put(7, (byte) length);
        ByteArrayOutputStream pdu = new ByteArrayOutputStream(BHS + 8 + length + 3);
        pdu.write(bhs);
        if (headerDigest) pdu.write(digest(bhs, badDigest));
        if (length > 0) {
            pdu.write(data);
            pdu.write(new byte[(4 - length % 4) % 4]);
            if (dataDigest) pdu.write(digest(data, false));
        }
        out.write(pdu.toByteArray());
        out.flush();
    }

    /** Sends a non-immediate command PDU and advances CmdSN. */
    public void sendCommand(byte[] bhs) throws IOException {
        send(bhs, new byte[0], false);
        cmdSn++;
    }

    /** The next PDU, or empty when the target closed the connection. Fails after the socket timeout. */
    public Optional<Pdu> next() throws IOException {
        try {
            return Optional.of(receive(headerDigest));
        } catch (EOFException e) {
            return Optional.empty();
        } catch (java.net.SocketException e) {
            return Optional.empty(); // reset by peer: closed as well
        }
    }

    /** The next PDU, or empty when the connection closed or nothing arrived within TIMEOUT. */
    public Optional<Pdu> poll(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return next();
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /** True when the target closed the connection within TIMEOUT (any PDUs before that are skipped). */
    public boolean closedWithin(Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            try {
                if (next().isEmpty()) return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return false;
    }

    private Pdu receive(boolean withHeaderDigest) throws IOException {
        byte[] bhs = new byte[BHS];
        in.readFully(bhs);
        int ahs = (bhs[4] & 0xff) * 4;
        int length = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
        in.skipNBytes(ahs);
        if (withHeaderDigest) in.skipNBytes(4);
        byte[] data = new byte[length];
        in.readFully(data);
        in.skipNBytes((4 - length % 4) % 4);
        if (dataDigest && length > 0) in.skipNBytes(4);
        if ((bhs[0] & 0x3f) == OP_SCSI_RESPONSE || (bhs[0] & 0x3f) == OP_NOP_IN) {
            expStatSn = ByteBuffer.wrap(bhs).getInt(24) + 1;
        }
        if ((bhs[0] & 0x3f) != OP_LOGIN_RESPONSE && (bhs[0] & 0x3f) != OP_REJECT) {
            maxCmdSn = ByteBuffer.wrap(bhs).getInt(32);
        }
        return new Pdu(bhs, data);
    }

    static byte[] digest(byte[] bytes, boolean corrupt) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int value = (int) crc.getValue() ^ (corrupt ? 0x5a5a5a5a : 0);
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static byte[] textData(Map<String, String> keys) {
        StringBuilder sb = new StringBuilder();
        keys.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> parseText(byte[] data) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : new String(data, StandardCharsets.UTF_8).split("\0")) {
            int eq = pair.indexOf('=');
            if (eq > 0) keys.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return keys;
    }

    /** Logs out politely when the connection is still usable, then closes the socket. */
    public void logout() throws IOException {
        ByteBuffer bhs = header(IMMEDIATE | OP_LOGOUT_REQUEST, FINAL, newItt());
        bhs.putInt(24, cmdSn);
        send(bhs.array(), new byte[0], false);
        poll(Duration.ofSeconds(5));
        close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

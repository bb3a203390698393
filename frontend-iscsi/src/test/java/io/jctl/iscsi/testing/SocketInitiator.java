package io.jctl.iscsi.testing;

import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Crc32c;
import io.jctl.iscsi.pdu.Opcode;

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
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal blocking iSCSI initiator over a real socket, for loopback tests of the frontend. */
public final class SocketInitiator implements AutoCloseable {
    /** A received PDU: header and data segment. */
    public record In(Bhs bhs, byte[] data) {
        public int opcode() {
            return bhs.opcode();
        }

        public Map<String, String> keys() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : new String(data, StandardCharsets.UTF_8).split("\0")) {
                if (!kv.isEmpty()) {
                    int eq = kv.indexOf('=');
                    m.merge(kv.substring(0, eq), kv.substring(eq + 1), (a, b) -> a + "|" + b);
                }
            }
            return m;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private boolean headerDigest;
    private boolean dataDigest;
    public int cmdSn = 1;
    public int expStatSn;
    private int itt = 1;

    public SocketInitiator(InetSocketAddress target) throws IOException {
        socket = new Socket();
        socket.connect(target, 5000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public int nextItt() {
        return itt++;
    }

    public static byte[] text(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(kv[i]).append('=').append(kv[i + 1]).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public void send(Bhs bhs, byte[] data) throws IOException {
        bhs.dataSegmentLength(data.length);
        ByteBuffer b = ByteBuffer.allocate(48 + 4 + data.length + 3 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(bhs.bytes());
        if (headerDigest) {
            b.putInt(Crc32c.of(bhs.bytes(), 0, 48));
        }
        if (data.length > 0) {
            int pad = (4 - (data.length & 3)) & 3;
            byte[] padded = new byte[data.length + pad];
            System.arraycopy(data, 0, padded, 0, data.length);
            b.put(padded);
            if (dataDigest) {
                b.putInt(Crc32c.of(padded, 0, padded.length));
            }
        }
        out.write(b.array(), 0, b.position());
        out.flush();
    }

    /** Bytes exactly as given, for malformed PDUs. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next PDU, or null if the target closed the connection. */
    public In receive() throws IOException {
        byte[] header = new byte[48];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            return null;
        }
        Bhs bhs = Bhs.wrap(header);
        if (headerDigest) {
            int crc = Integer.reverseBytes(in.readInt());
            if (crc != Crc32c.of(header, 0, 48)) {
                throw new IOException("bad header digest from target");
            }
        }
        int len = bhs.dataSegmentLength();
        byte[] data = new byte[len];
        if (len > 0) {
            int pad = (4 - (len & 3)) & 3;
            byte[] padded = new byte[len + pad];
            in.readFully(padded);
            System.arraycopy(padded, 0, data, 0, len);
            if (dataDigest) {
                int crc = Integer.reverseBytes(in.readInt());
                if (crc != Crc32c.of(padded, 0, padded.length)) {
                    throw new IOException("bad data digest from target");
                }
            }
        }
        return new In(bhs, data);
    }

    /** True if the target closes the connection (within the socket timeout) without sending anything more. */
    public boolean closedByTarget() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** One-PDU login straight to full feature phase; returns the response. */
    public In login(long isid, String... kv) throws IOException {
        Bhs bhs = Bhs.create(Opcode.LOGIN_REQUEST);
        bhs.bytes()[0] |= 0x40;
        bhs.flags(0x80 | (1 << 2) | 3).u48(8, isid).itt(nextItt()).u32(24, cmdSn).u32(28, 0);
        send(bhs, text(kv));
        In rsp = receive();
        if (rsp != null && rsp.bhs().u16(36) == 0) {
            expStatSn = rsp.bhs().u32(24) + 1;
            Map<String, String> keys = rsp.keys();
            headerDigest = "CRC32C".equals(keys.get("HeaderDigest"));
            dataDigest = "CRC32C".equals(keys.get("DataDigest"));
        }
        return rsp;
    }

    public Bhs command(int itt, byte[] cdb, int expected, boolean read, boolean write) {
        Bhs bhs = Bhs.create(Opcode.SCSI_COMMAND).flags(0x80 | (read ? 0x40 : 0) | (write ? 0x20 : 0) | 1);
        bhs.itt(itt).u32(20, expected).u32(24, cmdSn++).u32(28, expStatSn);
        System.arraycopy(cdb, 0, bhs.bytes(), 32, cdb.length);
        return bhs;
    }

    public Bhs immediate(int opcode, int itt) {
        Bhs bhs = Bhs.create(opcode).flags(0x80).itt(itt).u32(24, cmdSn).u32(28, expStatSn);
        bhs.bytes()[0] |= 0x40;
        return bhs;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

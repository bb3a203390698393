package io.jctl.it.cu;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately broken target for testing the libiscsi rig: a TCP relay on 127.0.0.1 in front of the daemon that
 * passes every iSCSI PDU through, except for one {@link Fault}. To the initiator it is a target whose READ returns
 * the wrong data, without touching the product.
 *
 * <p>It parses both streams PDU by PDU (48-byte BHS, AHS, padded data segment), so the session must run without
 * header or data digests (libiscsi offers None first and jctl takes it); a login that negotiates a digest is
 * counted in {@link #digestLogins()} so the test can fail with the reason instead of a garbled stream.
 */
public final class FaultyRelay implements AutoCloseable {

    /** What the relay breaks. */
    public enum Fault {
        /** READ(10) reads the block after the one asked for: its CDB's LBA is incremented on the way in. */
        READ10_NEXT_BLOCK,
        /** The first byte of every Data-In segment answering a READ (6/10/12/16) is flipped on the way out. */
        READ_DATA_IN_FLIP
    }

    private static final int BHS_LENGTH = 48;
    private static final int OPCODE_SCSI_COMMAND = 0x01;
    private static final int OPCODE_SCSI_RESPONSE = 0x21;
    private static final int OPCODE_LOGIN_RESPONSE = 0x23;
    private static final int OPCODE_DATA_IN = 0x25;
    private static final int CDB_OFFSET = 32;
    private static final int READ6 = 0x08;
    private static final int READ10 = 0x28;
    private static final int READ12 = 0xa8;
    private static final int READ16 = 0x88;

    private final Fault fault;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final AtomicInteger altered = new AtomicInteger();
    private final AtomicInteger digestLogins = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FaultyRelay(int targetPort, Fault fault) throws IOException {
        this.fault = fault;
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        start("faulty-relay-accept", this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many PDUs the fault has changed so far. */
    public int alteredPdus() {
        return altered.get();
    }

    /** Logins whose response negotiated a header or data digest (the relay cannot parse those streams). */
    public int digestLogins() {
        return digestLogins.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        sockets.forEach(FaultyRelay::closeQuietly);
        try {
            for (Thread thread : threads) thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket initiator;
            try {
                initiator = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket daemon = new Socket();
            sockets.add(initiator);
            sockets.add(daemon);
            try {
                daemon.connect(target, 5_000);
                // PDUs are written as they come: without this, Nagle and delayed ACKs stall each command ~40 ms
                daemon.setTcpNoDelay(true);
                initiator.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(initiator);
                closeQuietly(daemon);
                continue;
            }
            // initiator task tags of the READs in flight on this connection
            Set<Integer> reads = ConcurrentHashMap.newKeySet();
            start("faulty-relay-to-target", () -> relay(initiator, daemon, pdu -> towardsTarget(pdu, reads)));
            start("faulty-relay-to-initiator", () -> relay(daemon, initiator, pdu -> towardsInitiator(pdu, reads)));
        }
    }

    /** One PDU: BHS plus the rest (AHS and padded data segment). */
    private record Pdu(byte[] bhs, byte[] rest, int ahsLength, int dataLength) {
        int opcode() {
            return bhs[0] & 0x3f;
        }

        int itt() {
            return ((bhs[16] & 0xff) << 24) | ((bhs[17] & 0xff) << 16) | ((bhs[18] & 0xff) << 8) | (bhs[19] & 0xff);
        }
    }

    private interface PduFilter {
        void apply(Pdu pdu);
    }

    private void towardsTarget(Pdu pdu, Set<Integer> reads) {
        if (pdu.opcode() != OPCODE_SCSI_COMMAND) return;
        int op = pdu.bhs()[CDB_OFFSET] & 0xff;
        if (op == READ6 || op == READ10 || op == READ12 || op == READ16) {
            reads.add(pdu.itt()); // before forwarding: its Data-In cannot overtake the command
        }
        if (fault == Fault.READ10_NEXT_BLOCK && op == READ10) {
            byte[] b = pdu.bhs();
            int lbaAt = CDB_OFFSET + 2;
            long lba = ((b[lbaAt] & 0xffL) << 24) | ((b[lbaAt + 1] & 0xff) << 16) | ((b[lbaAt + 2] & 0xff) << 8)
                    | (b[lbaAt + 3] & 0xff);
            lba = (lba + 1) & 0xffffffffL;
            for (int i = 0; i < 4; i++) b[lbaAt + i] = (byte) (lba >>> (24 - 8 * i));
            altered.incrementAndGet();
        }
    }

    private void towardsInitiator(Pdu pdu, Set<Integer> reads) {
        if (pdu.opcode() == OPCODE_LOGIN_RESPONSE) {
            String text = new String(pdu.rest(), pdu.ahsLength(), pdu.dataLength(), StandardCharsets.US_ASCII);
            if (text.contains("HeaderDigest=CRC32C") || text.contains("DataDigest=CRC32C")) {
                digestLogins.incrementAndGet();
            }
        } else if (fault == Fault.READ_DATA_IN_FLIP && pdu.opcode() == OPCODE_DATA_IN && pdu.dataLength() > 0
                && reads.contains(pdu.itt())) {
            pdu.rest()[pdu.ahsLength()] ^= 0x01;
            altered.incrementAndGet();
        }
        // the status (S bit in Data-In, or a SCSI Response) ends the task; the tag may be reused
        if ((pdu.opcode() == OPCODE_DATA_IN && (pdu.bhs()[1] & 0x01) != 0) || pdu.opcode() == OPCODE_SCSI_RESPONSE) {
            reads.remove(pdu.itt());
        }
    }

    private void relay(Socket from, Socket to, PduFilter filter) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
                OutputStream out = new BufferedOutputStream(to.getOutputStream())) {
            while (true) {
                byte[] bhs = new byte[BHS_LENGTH];
                try {
                    in.readFully(bhs);
                } catch (EOFException e) {
                    return;
                }
                int ahsLength = (bhs[4] & 0xff) * 4;
                int dataLength = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
                byte[] rest = new byte[ahsLength + ((dataLength + 3) & ~3)];
                in.readFully(rest);
                filter.apply(new Pdu(bhs, rest, ahsLength, dataLength));
                out.write(bhs);
                out.write(rest);
                out.flush(); // one send per PDU
            }
        } catch (IOException e) {
            // a closed connection ends the relay; the other direction sees it too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may have gone already
        }
    }
}

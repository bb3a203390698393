package io.jctl.it.vm;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately broken target for testing the test rig: a TCP relay on 127.0.0.1 in front of the daemon that
 * passes everything through, except that in every iSCSI Data-In PDU whose data segment contains MARKER it flips
 * the marker's first byte - as a target whose READ returns a wrong block would. The VM's file system test must
 * then fail on its checksums.
 *
 * <p>It parses the target-to-initiator stream PDU by PDU (48-byte BHS, AHS, padded data segment) and so needs a
 * session without header or data digests, which is what the guest negotiates.
 */
final class CorruptingRelay implements AutoCloseable {

    private static final int BHS_LENGTH = 48;
    private static final int OPCODE_DATA_IN = 0x25;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final byte[] marker;
    private final AtomicInteger corrupted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    CorruptingRelay(int targetPort, byte[] marker) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.marker = marker.clone();
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        start("relay-accept", this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    String portal() {
        return "127.0.0.1:" + port();
    }

    /** How many Data-In PDUs have been altered so far. */
    int corruptedPdus() {
        return corrupted.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        closeQuietly(server);
        sockets.forEach(CorruptingRelay::closeQuietly);
        for (Thread thread : threads) thread.join(10_000);
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
            } catch (IOException e) {
                closeQuietly(initiator);
                closeQuietly(daemon);
                continue;
            }
            start("relay-to-target", () -> copy(initiator, daemon));
            start("relay-to-initiator", () -> relayPdus(daemon, initiator));
        }
    }

    /** Initiator to target: bytes unchanged. */
    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a closed connection ends the relay; the other direction sees it too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Target to initiator: PDU by PDU, corrupting marked Data-In segments. */
    private void relayPdus(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
            byte[] bhs = new byte[BHS_LENGTH];
            while (true) {
                try {
                    in.readFully(bhs);
                } catch (EOFException e) {
                    return;
                }
                int ahsLength = (bhs[4] & 0xff) * 4;
                int dataLength = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
                byte[] rest = new byte[ahsLength + ((dataLength + 3) & ~3)];
                in.readFully(rest);
                if ((bhs[0] & 0x3f) == OPCODE_DATA_IN && corrupt(rest, ahsLength, dataLength)) {
                    corrupted.incrementAndGet();
                }
                out.write(bhs);
                out.write(rest);
                out.flush();
            }
        } catch (IOException e) {
            // a closed connection ends the relay
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Flips the first byte of every occurrence of the marker in the data segment; true if there was one. */
    private boolean corrupt(byte[] pdu, int from, int length) {
        boolean changed = false;
        for (int i = from; i + marker.length <= from + length; i++) {
            if (matchesAt(pdu, i)) {
                pdu[i] ^= 0x01;
                changed = true;
            }
        }
        return changed;
    }

    private boolean matchesAt(byte[] data, int at) {
        for (int j = 0; j < marker.length; j++) {
            if (data[at + j] != marker[j]) return false;
        }
        return true;
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may have gone already
        }
    }
}

package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The broken-target relay alters exactly the marked Data-In segments and passes everything else through. */
class CorruptingRelayTest {

    private static final byte[] MARKER = "JCTL-VM-PAYLOAD".getBytes(StandardCharsets.US_ASCII);

    @Test
    void flipsTheMarkerInDataInOnlyAndKeepsPduBoundaries() throws Exception {
        byte[] marked = payload(1000, 300);
        byte[] textResponse = pdu(0x24, 0, payload(200, 10)); // marker outside Data-In: untouched
        byte[] dataIn = pdu(0x25, 0, marked);
        byte[] dataInWithAhs = pdu(0x25, 2, marked);
        byte[] plainDataIn = pdu(0x25, 0, new byte[513]); // no marker, odd length: padding passes through
        byte[] stream = concat(textResponse, dataIn, dataInWithAhs, plainDataIn);

        byte[] request = "initiator to target bytes pass unchanged".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket daemon = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                CorruptingRelay relay = new CorruptingRelay(daemon.getLocalPort(), MARKER);
                Socket initiator = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            initiator.setSoTimeout(10_000);
            initiator.getOutputStream().write(request);
            try (Socket accepted = daemon.accept()) {
                accepted.setSoTimeout(10_000);
                assertArrayEquals(request, new DataInputStream(accepted.getInputStream()).readNBytes(request.length));
                // the relay must reassemble PDUs that arrive in pieces
                OutputStream out = accepted.getOutputStream();
                for (int at = 0; at < stream.length; at += 97) {
                    out.write(stream, at, Math.min(97, stream.length - at));
                    out.flush();
                }
                byte[] received = new DataInputStream(initiator.getInputStream()).readNBytes(stream.length);

                byte[] expected = stream.clone();
                int first = textResponse.length + 48 + 300;
                int second = textResponse.length + dataIn.length + 48 + 8 + 300;
                expected[first] ^= 0x01;
                expected[second] ^= 0x01;
                assertArrayEquals(expected, received);
                assertEquals(2, relay.corruptedPdus());
            }
        }
    }

    /** LENGTH bytes of filler with the marker at offset AT. */
    private static byte[] payload(int length, int at) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 'x');
        System.arraycopy(MARKER, 0, data, at, MARKER.length);
        return data;
    }

    /** A PDU with OPCODE, AHS_WORDS words of AHS and DATA padded to four bytes (no digests). */
    private static byte[] pdu(int opcode, int ahsWords, byte[] data) throws IOException {
        byte[] bhs = new byte[48];
        bhs[0] = (byte) opcode;
        bhs[4] = (byte) ahsWords;
        bhs[5] = (byte) (data.length >>> 16);
        bhs[6] = (byte) (data.length >>> 8);
        bhs[7] = (byte) data.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bhs);
        out.write(new byte[ahsWords * 4]);
        out.write(data);
        out.write(new byte[(4 - data.length % 4) % 4]);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.write(part);
        return out.toByteArray();
    }
}

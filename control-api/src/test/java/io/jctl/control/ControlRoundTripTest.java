package io.jctl.control;

import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.IoStats;
import io.jctl.control.message.LunInfo;
import io.jctl.control.message.RemoveLunArgs;
import io.jctl.control.message.SessionSelector;
import io.jctl.control.message.StatsArgs;
import io.jctl.control.server.ControlServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlRoundTripTest {
    @TempDir
    Path dir;
    Path socket;
    RecordingService service;
    ControlServer server;

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("run/ctld.sock");
        service = new RecordingService();
        server = ControlServer.start(socket, service);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void typedCallsTravelBothWays() throws Exception {
        try (ControlClient client = new ControlClient(socket)) {
            LunInfo created = client.create(new CreateLunArgs("ramdisk", "1m", 512, 4, null, null, null,
                    Map.of("capacity", "1m")));
            assertEquals(4, created.id());
            assertEquals("MYSERIAL0004", created.serial());
            assertEquals(Map.of("capacity", "1m"), created.options());
            assertEquals(2048L * 512, created.sizeBytes());

            List<LunInfo> listed = client.devlist(new DevListArgs(null));
            assertEquals(List.of(created), listed);
            assertEquals(new CreateLunArgs("ramdisk", "1m", 512, 4, null, null, null, Map.of("capacity", "1m")),
                    service.calls.get(0));

            assertEquals(Map.of(0, 3), client.portlist().get(0).lunMap());
            assertEquals("CRC32C", client.islist().get(0).headerDigest());
            assertEquals(1, client.islogout(new SessionSelector(false, 7L, null, null)).sessions());
            var stats = client.stats(StatsArgs.everything());
            assertEquals(4096, stats.luns().get(0).of(IoStats.READ).bytes());
            assertEquals(0, stats.luns().get(0).of(IoStats.WRITE).bytes());
        }
    }

    @Test
    void daemonRefusalBecomesControlExceptionWithItsReason() throws Exception {
        try (ControlClient client = new ControlClient(socket)) {
            ControlException e = assertThrows(ControlException.class,
                    () -> client.create(new CreateLunArgs("tape", null, null, null, null, null, null, null)));
            assertFalse(e instanceof ControlUnavailableException);
            assertEquals("unknown backend \"tape\"", e.getMessage());
            // the connection stays usable after a refusal
            assertThrows(ControlException.class, () -> client.remove(new RemoveLunArgs("ramdisk", 9)));
            assertEquals(List.of(), client.devlist(new DevListArgs(null)));
        }
    }

    @Test
    void malformedRequestsGetOneLineErrors() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            assertEquals("{\"ok\":false,\"error\":\"unknown command \\\"format\\\"\"}",
                    exchange(ch, "{\"command\":\"format\",\"args\":{}}"));
            assertEquals("{\"ok\":false,\"error\":\"bad arguments for remove: unknown field \\\"lun\\\"\"}",
                    exchange(ch, "{\"command\":\"remove\",\"args\":{\"lun\":1}}"));
            assertEquals("{\"ok\":false,\"error\":\"bad arguments for remove: field \\\"lunId\\\": cannot use "
                            + "one as Integer\"}",
                    exchange(ch, "{\"command\":\"remove\",\"args\":{\"lunId\":\"one\"}}"));
            assertTrue(exchange(ch, "not json").startsWith("{\"ok\":false,\"error\":\"malformed request: "));
            assertEquals("{\"ok\":false,\"error\":\"request must be an object with a \\\"command\\\" string\"}",
                    exchange(ch, "[1,2]"));
            assertEquals("{\"ok\":true,\"result\":[]}", exchange(ch, "{\"command\":\"devlist\"}"));
        }
    }

    private static String exchange(SocketChannel ch, String line) throws IOException {
        ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        LineBuffer lines = new LineBuffer(1 << 20);
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (true) {
            String l = lines.poll();
            if (l != null) {
                return l;
            }
            buf.clear();
            if (ch.read(buf) < 0) {
                throw new IOException("closed");
            }
            buf.flip();
            lines.feed(buf);
        }
    }

    @Test
    void socketIsPrivate() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void secondServerOnALiveSocketIsRefused() {
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(socket, service));
        assertEquals("another ctld is already listening on " + socket, e.getMessage());
        assertTrue(Files.exists(socket));
    }

    @Test
    void staleSocketIsReplacedAndClosedServerRemovesItsFile() throws Exception {
        server.close();
        assertFalse(Files.exists(socket));
        // leave a socket file behind with nobody listening, as a killed daemon would
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertTrue(Files.exists(socket));
        server = ControlServer.start(socket, service);
        try (ControlClient client = new ControlClient(socket)) {
            assertEquals(List.of(), client.devlist(new DevListArgs(null)));
        }
    }

    @Test
    void regularFileAtTheSocketPathIsNotTouched() throws IOException {
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "data");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(file, service));
        assertEquals("control socket path " + file + " exists and is not a socket", e.getMessage());
        assertEquals("data", Files.readString(file));
    }

    @Test
    void unreachableDaemonIsNamedWithPathAndReason() {
        Path missing = dir.resolve("nobody.sock");
        try (ControlClient client = new ControlClient(missing)) {
            ControlUnavailableException e = assertThrows(ControlUnavailableException.class, client::portlist);
            assertTrue(e.getMessage().startsWith("cannot reach ctld at " + missing + ": "), e.getMessage());
        }
    }

    @Test
    void silentDaemonTimesOut() throws IOException {
        Path quiet = dir.resolve("quiet.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(quiet));
            try (ControlClient client = new ControlClient(quiet, Duration.ofMillis(200))) {
                ControlUnavailableException e = assertThrows(ControlUnavailableException.class, client::islist);
                assertEquals("cannot reach ctld at " + quiet + ": no answer within 200 ms while waiting for "
                        + "the answer", e.getMessage());
            }
        }
    }

    @Test
    void clientReconnectsAfterDaemonRestart() throws Exception {
        try (ControlClient client = new ControlClient(socket)) {
            assertEquals(List.of(), client.devlist(new DevListArgs(null)));
            server.close();
            assertThrows(ControlUnavailableException.class, () -> client.devlist(new DevListArgs(null)));
            server = ControlServer.start(socket, service);
            assertEquals(List.of(), client.devlist(new DevListArgs(null)));
        }
    }
}

package io.jctl.iscsi;

import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.testing.FakeScsiService;
import io.jctl.iscsi.testing.SocketInitiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frontend over real loopback sockets. */
class IscsiFrontendTest {
    static final String TARGET = "iqn.2026-11.io.jctl:target0";
    static final String INITIATOR = "iqn.2026-11.io.jctl:socket-test";

    private final FakeScsiService core = new FakeScsiService(2048);
    private final IscsiFrontend frontend = new IscsiFrontend(core, IscsiSettings.defaults());
    private final PortalGroup pg = new PortalGroup("pg0", 1, List.of(new InetSocketAddress("127.0.0.1", 0)),
            AuthGroup.noAuthentication());
    private final Port port = new PortRegistry().create("iscsi", TARGET, 1, Map.of());

    @AfterEach
    void close() {
        frontend.close();
    }

    private InetSocketAddress start() throws IOException {
        frontend.setTargets(List.of(new IscsiTarget(TARGET, "zero", AuthGroup.noAuthentication(),
                List.of(new TargetPortal(pg, port)))));
        frontend.listen(pg);
        InetSocketAddress bound = frontend.boundAddresses().get(0);
        assertNotEquals(0, bound.getPort());
        return bound;
    }

    private SocketInitiator loggedIn(InetSocketAddress at, long isid, String... extra) throws IOException {
        SocketInitiator c = new SocketInitiator(at);
        String[] kv = new String[4 + extra.length];
        kv[0] = "InitiatorName";
        kv[1] = INITIATOR;
        kv[2] = "TargetName";
        kv[3] = TARGET;
        System.arraycopy(extra, 0, kv, 4, extra.length);
        SocketInitiator.In rsp = c.login(isid, kv);
        assertEquals(0, rsp.bhs().u16(36));
        return c;
    }

    private static void testUnitReady(SocketInitiator c) throws IOException {
        int itt = c.nextItt();
        c.send(c.command(itt, new byte[6], 0, false, false), new byte[0]);
        SocketInitiator.In rsp = c.receive();
        assertEquals(Opcode.SCSI_RESPONSE, rsp.opcode());
        assertEquals(itt, rsp.bhs().itt());
        assertEquals(0, rsp.bhs().u8(3));
    }

    @Test
    void digestsWriteReadAndLogout() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator c = loggedIn(at, 0x1, "HeaderDigest", "CRC32C", "DataDigest", "CRC32C",
                "MaxRecvDataSegmentLength", "4096")) {
            SessionInfo info = frontend.sessions().get(0);
            assertEquals("CRC32C", info.headerDigest());
            assertEquals("CRC32C", info.dataDigest());
            assertEquals(INITIATOR, info.initiatorName());
            assertEquals("000000000001", info.isid());
            assertEquals(4096, info.maxSendDataSegmentLength());
            assertEquals(1, port.nexuses().size());
            testUnitReady(c);

            byte[] data = new byte[8192];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 13);
            }
            byte[] write = {0x2a, 0, 0, 0, 0, 4, 0, 0, 16, 0};
            int itt = c.nextItt();
            c.send(c.command(itt, write, 8192, false, true), Arrays.copyOf(data, 8192));
            SocketInitiator.In rsp = c.receive();
            assertEquals(Opcode.SCSI_RESPONSE, rsp.opcode());
            assertEquals(0, rsp.bhs().u8(3));
            assertArrayEquals(data, Arrays.copyOfRange(core.disk(), 4 * 512, 20 * 512));

            byte[] read = {0x28, 0, 0, 0, 0, 4, 0, 0, 16, 0};
            itt = c.nextItt();
            c.send(c.command(itt, read, 8192, true, false), new byte[0]);
            byte[] got = new byte[0];
            while (true) {
                SocketInitiator.In in = c.receive();
                assertEquals(Opcode.DATA_IN, in.opcode());
                got = concat(got, in.data());
                if ((in.bhs().flags() & 1) != 0) {
                    break;
                }
            }
            assertArrayEquals(data, got);

            Bhs logout = c.immediate(Opcode.LOGOUT_REQUEST, c.nextItt());
            c.send(logout, new byte[0]);
            assertEquals(Opcode.LOGOUT_RESPONSE, c.receive().opcode());
            assertTrue(c.closedByTarget());
        }
        assertTrue(core.awaitLost(1, 5000));
        assertEquals(0, port.nexuses().size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void bindFailureNamesTheAddress() throws Exception {
        InetSocketAddress at = start();
        PortalGroup again = new PortalGroup("pg1", 2, List.of(at), AuthGroup.noAuthentication());
        IOException e = assertThrows(IOException.class, () -> frontend.listen(again));
        assertTrue(e.getMessage().contains("127.0.0.1:" + at.getPort()), e.getMessage());
        assertEquals(1, frontend.boundAddresses().size());
    }

    @Test
    void sameIsidReinstatesTheSession() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator first = loggedIn(at, 0x42)) {
            // A command the core holds: reinstatement must abort it with the old session.
            byte[] held = {0x28, (byte) 0xEE, 0, 0, 0, 0, 0, 0, 1, 0};
            first.send(first.command(first.nextItt(), held, 512, true, false), new byte[0]);
            testUnitReady(first);
            assertEquals(1, core.held.size());
            try (SocketInitiator second = loggedIn(at, 0x42)) {
                assertTrue(first.closedByTarget(), "old connection closed");
                assertTrue(core.awaitLost(1, 5000));
                assertTrue(core.held.isEmpty(), "the old session's task was aborted");
                assertEquals(INITIATOR + ",i,0x000000000042", core.lost.get(0).initiatorPort());
                testUnitReady(second);
                assertEquals(1, frontend.sessions().size());
                assertEquals(1, port.nexuses().size());
                // A different ISID is a separate session.
                try (SocketInitiator third = loggedIn(at, 0x43)) {
                    testUnitReady(third);
                    assertEquals(2, frontend.sessions().size());
                }
            }
        }
    }

    @Test
    void administratorLogoutAndTerminate() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator a = loggedIn(at, 0x1); SocketInitiator b = loggedIn(at, 0x2)) {
            assertEquals(1, frontend.logout(s -> s.isid().equals("000000000001")));
            SocketInitiator.In async = a.receive();
            assertEquals(Opcode.ASYNC_MESSAGE, async.opcode());
            assertEquals(1, async.bhs().u8(36), "target requests logout");
            assertEquals(Bhs.RESERVED_TAG, async.bhs().itt());
            a.send(a.immediate(Opcode.LOGOUT_REQUEST, a.nextItt()), new byte[0]);
            assertEquals(Opcode.LOGOUT_RESPONSE, a.receive().opcode());
            assertTrue(a.closedByTarget());

            assertEquals(1, frontend.terminate(s -> s.isid().equals("000000000002")));
            assertTrue(b.closedByTarget());
            assertTrue(core.awaitLost(2, 5000));
            assertEquals(0, frontend.terminate(s -> true));
        }
    }

    @Test
    void closeAsksEveryoneToLogOutThenDrops() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator a = loggedIn(at, 0x1)) {
            Thread closer = new Thread(frontend::close);
            closer.start();
            SocketInitiator.In async = a.receive();
            assertEquals(Opcode.ASYNC_MESSAGE, async.opcode());
            a.send(a.immediate(Opcode.LOGOUT_REQUEST, a.nextItt()), new byte[0]);
            assertEquals(Opcode.LOGOUT_RESPONSE, a.receive().opcode());
            closer.join(10000);
            assertTrue(frontend.sessions().isEmpty());
            assertThrows(IOException.class, () -> new SocketInitiator(at).close());
        }
    }

    @Test
    void discoveryListsBoundAddresses() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator c = new SocketInitiator(at)) {
            assertEquals(0, c.login(0x9, "InitiatorName", INITIATOR, "SessionType", "Discovery").bhs().u16(36));
            assertTrue(frontend.sessions().isEmpty(), "discovery sessions are not listed");
            Bhs text = Bhs.create(Opcode.TEXT_REQUEST).flags(0x80).itt(c.nextItt()).u32(20, Bhs.RESERVED_TAG)
                    .u32(24, c.cmdSn++).u32(28, c.expStatSn);
            c.send(text, SocketInitiator.text("SendTargets", "All"));
            SocketInitiator.In rsp = c.receive();
            assertEquals(Opcode.TEXT_RESPONSE, rsp.opcode());
            assertEquals(TARGET, rsp.keys().get("TargetName"));
            assertEquals("127.0.0.1:" + at.getPort() + ",1", rsp.keys().get("TargetAddress"));
            // SCSI commands have no place in a discovery session.
            c.send(c.command(c.nextItt(), new byte[6], 0, false, false), new byte[0]);
            assertEquals(Opcode.REJECT, c.receive().opcode());
        }
    }

    @Test
    void oversizedSegmentOverTheWire() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator c = loggedIn(at, 0x5)) {
            Bhs cmd = c.command(c.nextItt(), new byte[]{0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 512, false, true);
            cmd.dataSegmentLength(IscsiSettings.defaults().maxRecvDataSegmentLength() + 4);
            // Only the header goes out: the target must answer without waiting for the segment.
            c.sendRaw(cmd.bytes());
            SocketInitiator.In reject = c.receive();
            assertEquals(Opcode.REJECT, reject.opcode());
            assertEquals(0x04, reject.bhs().u8(2));
            assertTrue(c.closedByTarget());
        }
        assertTrue(core.awaitLost(1, 5000));
        assertTrue(core.submitted.isEmpty());
    }

    @Test
    void wrongTargetFailsLogin() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator c = new SocketInitiator(at)) {
            SocketInitiator.In rsp = c.login(0x1, "InitiatorName", INITIATOR, "TargetName", "iqn.2026-11.x:none");
            assertEquals(0x0203, rsp.bhs().u16(36));
            assertTrue(c.closedByTarget());
        }
        assertTrue(frontend.sessions().isEmpty());
    }
}

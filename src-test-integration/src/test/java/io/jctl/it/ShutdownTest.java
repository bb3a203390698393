package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.RawIscsi;
import io.jctl.it.support.RawIscsi.Pdu;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** SIGTERM with logged-in sessions: the daemon ends them and exits 0 (Daemon.stop checks the exit and the log). */
class ShutdownTest {

    private static final Duration ANSWER = Duration.ofSeconds(10);

    @Test
    void sigtermAsksTheInitiatorToLogOutThenExitsCleanly(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test);
                RawIscsi session = loggedInSession(daemon)) {
            daemon.sigterm();
            // RFC 7143 11.9.1 AsyncEvent 1: the target requests a logout; a polite initiator complies
            Optional<Pdu> async = session.poll(ANSWER);
            assertTrue(async.isPresent(), "no Async Message after SIGTERM");
            assertEquals(RawIscsi.OP_ASYNC_MESSAGE, async.get().opcode(), async.get().toString());
            assertEquals(1, async.get().byteAt(36), "AsyncEvent");
            session.logout();
            daemon.stop();
        }
    }

    @Test
    void sigtermWithASessionThatIgnoresTheLogoutRequestStillExitsCleanly(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test);
                RawIscsi session = loggedInSession(daemon)) {
            daemon.stop(); // SIGTERM; the session never answers
            assertTrue(session.closedWithin(Duration.ofSeconds(5)), "the connection outlived the daemon");
        }
    }

    private static RawIscsi loggedInSession(Daemon daemon) throws IOException {
        RawIscsi session = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET, Map.of());
        int itt = session.newItt();
        session.sendCommand(session.testUnitReady(itt, session.cmdSn()));
        Optional<Pdu> status = session.poll(ANSWER);
        assertTrue(status.isPresent(), "no answer to TEST UNIT READY");
        assertEquals(RawIscsi.OP_SCSI_RESPONSE, status.get().opcode(), status.get().toString());
        String sessions = daemon.checkCtladm("islist").stdout();
        assertTrue(sessions.contains(Daemon.TEST_INITIATOR), "islist does not show the session:\n" + sessions);
        return session;
    }
}

package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.RawIscsi;
import io.jctl.it.support.RawIscsi.Pdu;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Bad input at the process level: a logged-in raw connection sends what no initiator should. Each time the
 * daemon answers with a Reject or drops the connection, logs the event, and keeps serving (a fresh iscsi-inq
 * works afterwards). The PDU decoder's own unit tests cover the byte-level cases; these prove the whole process.
 */
class MalformedPduTest {

    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final Duration LOG = Duration.ofSeconds(10);

    @Test
    void unknownOpcodeInFullFeaturePhaseIsRejectedOrDropped(TestInfo test) throws IOException {
        Tools.assumeInstalled("iscsi-inq");
        try (Daemon daemon = Daemon.start(test)) {
            int mark = daemon.logMark();
            try (RawIscsi c = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET, Map.of())) {
                int itt = c.newItt();
                c.send(c.header(0x40 | 0x0f, 0x80, itt).array(), new byte[0], false); // 0x0f: no such opcode
                rejectedOrDropped(c, itt);
            }
            daemon.awaitLog(mark, "(?i)not valid from an initiator|unknown opcode|opcode 0x0?f", LOG);
            stillServes(daemon);
        }
    }

    @Test
    void dataSegmentLongerThanNegotiatedIsRejectedOrDropped(TestInfo test) throws IOException {
        Tools.assumeInstalled("iscsi-inq");
        try (Daemon daemon = Daemon.start(test)) {
            int mark = daemon.logMark();
            try (RawIscsi c = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET, Map.of())) {
                int limit = c.targetMaxRecvDataSegmentLength();
                int itt = c.newItt();
                try {
                    c.send(c.nopOut(itt), new byte[limit + 4096], false);
                } catch (SocketException e) {
                    // the target may close before the whole segment is written: that is an answer too
                }
                rejectedOrDropped(c, itt);
            }
            daemon.awaitLog(mark, "(?i)segment|MaxRecvDataSegmentLength|too long|oversized", LOG);
            stillServes(daemon);
        }
    }

    @Test
    void badHeaderDigestDropsTheConnection(TestInfo test) throws IOException {
        Tools.assumeInstalled("iscsi-inq");
        try (Daemon daemon = Daemon.start(test)) {
            int mark = daemon.logMark();
            try (RawIscsi c = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET,
                    Map.of("HeaderDigest", "CRC32C"))) {
                assertTrue(c.headerDigest(), "the daemon did not accept HeaderDigest=CRC32C: " + c.negotiated());
                int good = c.newItt();
                c.send(c.nopOut(good), new byte[0], false);
                Optional<Pdu> echo = c.poll(ANSWER);
                assertTrue(echo.isPresent() && echo.get().opcode() == RawIscsi.OP_NOP_IN && echo.get().itt() == good,
                        "a NOP-Out with a correct header digest got " + echo);

                int bad = c.newItt();
                c.send(c.nopOut(bad), new byte[0], true);
                // a header that fails its digest cannot be trusted, not even its length: at ErrorRecoveryLevel 0
                // the only safe answer is to drop the connection; answering the PDU would be wrong
                Optional<Pdu> answer = c.poll(ANSWER);
                answer.ifPresent(p -> fail("a PDU with a bad header digest was answered: " + p));
                assertTrue(c.closedWithin(Duration.ofSeconds(1)), "the connection stayed open after a bad digest");
            }
            daemon.awaitLog(mark, "(?i)header digest", LOG);
            stillServes(daemon);
        }
    }

    @Test
    void commandOutsideTheCmdSnWindowIsIgnoredAndTheSessionGoesOn(TestInfo test) throws IOException {
        Tools.assumeInstalled("iscsi-inq");
        try (Daemon daemon = Daemon.start(test)) {
            int mark = daemon.logMark();
            try (RawIscsi c = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET, Map.of())) {
                int outside = c.newItt();
                c.send(c.testUnitReady(outside, c.maxCmdSn() + 100), new byte[0], false);
                int inside = c.newItt();
                c.sendCommand(c.testUnitReady(inside, c.cmdSn()));
                // RFC 7143 4.2.2.1: a non-immediate command outside the window is silently ignored
                Optional<Pdu> answer = c.poll(ANSWER);
                if (answer.isPresent()) {
                    assertEquals(RawIscsi.OP_SCSI_RESPONSE, answer.get().opcode(), "answer: " + answer.get());
                    assertEquals(inside, answer.get().itt(), "the command outside the window was answered");
                    assertEquals(0, answer.get().byteAt(3), "TEST UNIT READY status");
                    Optional<Pdu> more = c.poll(Duration.ofSeconds(1));
                    assertFalse(more.isPresent() && more.get().itt() == outside,
                            "the command outside the window was answered: " + more);
                }
            }
            daemon.awaitLog(mark, "(?i)CmdSN", LOG);
            stillServes(daemon);
        }
    }

    /** The target either sent a Reject for ITT (then may close) or closed the connection. */
    private static void rejectedOrDropped(RawIscsi c, int itt) throws IOException {
        Optional<Pdu> answer = c.poll(ANSWER);
        if (answer.isEmpty()) {
            assertTrue(c.closedWithin(Duration.ofSeconds(1)), "no Reject and the connection stayed open");
            return;
        }
        Pdu reject = answer.get();
        assertEquals(RawIscsi.OP_REJECT, reject.opcode(), "expected a Reject, got " + reject);
        assertEquals(itt, java.nio.ByteBuffer.wrap(reject.data()).getInt(16),
                "the Reject carries the header of another PDU");
    }

    private static void stillServes(Daemon daemon) {
        assertTrue(daemon.isAlive(), "the daemon died\n" + daemon.logTail());
        String inq = Tools.check(Duration.ofSeconds(30), "iscsi-inq", daemon.url(0)).stdout();
        assertTrue(inq.contains("Peripheral Device Type:DIRECT_ACCESS"), inq);
    }
}

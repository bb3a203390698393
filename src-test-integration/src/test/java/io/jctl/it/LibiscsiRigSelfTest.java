package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jctl.it.cu.CuOutcome;
import io.jctl.it.cu.CuResult;
import io.jctl.it.cu.CuRunner;
import io.jctl.it.cu.FaultyRelay;
import io.jctl.it.cu.Ledger;
import io.jctl.it.cu.LunConfiguration;
import io.jctl.it.cu.ToolDefects;
import io.jctl.it.support.Daemon;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libiscsi rig catches a target that returns wrong data. libiscsi's READ tests check status and residuals only;
 * the tests that look at data read back are the VERIFY ones: they READ a range and send it back with VERIFY
 * BYTCHK=1, which the target compares with the medium. A {@link FaultyRelay} between the tool and the real daemon
 * plays the broken target; the same test passes against the daemon directly, so the failure is the fault's.
 *
 * <p>A READ that returns the wrong block only shows when blocks differ: on a fresh LUN every block is zero and no
 * libiscsi test can tell one from another. So the first case stamps every block of its LUN with its LBA first.
 */
class LibiscsiRigSelfTest {

    private static final Duration PER_TEST = Duration.ofSeconds(120);
    private static final int BLOCK = 512;
    /** 8192 blocks: VERIFY(10) Simple reads up to 256 blocks at each end of the LUN. */
    private static final int BLOCKS = 8192;

    @TempDir
    Path tmp;

    @Test
    void aReadTenReturningTheNextBlockFailsVerify10() throws Exception {
        Tools.assumeInstalled("iscsi-test-cu");
        Path file = stampedLun(tmp.resolve("stamped.img"));
        String config = """
                lun:
                  stamped:
                    backend: block
                    path: %s
                    size: auto
                    blocksize: %d
                    options:
                      unmap: "off"
                      readonly: "off"
                      removable: "off"
                target:
                  %s:
                    auth-group: no-authentication
                    portal-group: default
                    lun:
                      0: stamped
                """.formatted(file, BLOCK, Daemon.DEFAULT_TARGET);
        List<String> tests = List.of("ALL.Verify10.Simple");
        try (Daemon daemon = Daemon.start("LibiscsiRigSelfTest.read10NextBlock", config)) {
            assertOutcome(CuOutcome.PASS, run("read10-direct", tests, daemon.url(0)), "against the daemon itself");
            try (FaultyRelay relay = new FaultyRelay(daemon.port(), FaultyRelay.Fault.READ10_NEXT_BLOCK)) {
                Map<String, CuResult> broken = run("read10-next-block", tests, url(relay));
                assertRelayWorked(relay);
                assertOutcome(CuOutcome.FAIL, broken, "with READ(10) returning the next block");
                assertTheLedgerFailsTheBuild(broken.values());
            }
        }
    }

    @Test
    void aCorruptedReadDataInFailsTheVerifyTests() throws Exception {
        Tools.assumeInstalled("iscsi-test-cu");
        List<String> tests = List.of("ALL.Verify10.Simple", "ALL.Verify12.Simple", "ALL.Verify16.Simple");
        try (Daemon daemon = Daemon.start("LibiscsiRigSelfTest.dataInFlip", null);
                FaultyRelay relay = new FaultyRelay(daemon.port(), FaultyRelay.Fault.READ_DATA_IN_FLIP)) {
            Map<String, CuResult> broken = run("data-in-flip", tests, url(relay));
            assertRelayWorked(relay);
            assertOutcome(CuOutcome.FAIL, broken, "with a byte of every READ's Data-In flipped");
            assertTheLedgerFailsTheBuild(broken.values());
        }
    }

    /** Every block holds its own LBA (8 bytes, big-endian) over and over. */
    private static Path stampedLun(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            for (long lba = 0; lba < BLOCKS; lba++) {
                block.clear();
                while (block.hasRemaining()) block.putLong(lba);
                block.flip();
                while (block.hasRemaining()) ch.write(block);
            }
        }
        return file;
    }

    private static String url(FaultyRelay relay) {
        return "iscsi://127.0.0.1:" + relay.port() + "/" + Daemon.DEFAULT_TARGET + "/0";
    }

    private static Map<String, CuResult> run(String name, List<String> tests, String url) {
        CuRunner runner = new CuRunner("selftest-" + name, Daemon.logDir().resolve("cu").resolve("selftest-" + name), PER_TEST,
                ToolDefects.load());
        return runner.run(tests, url, null, Instant.now().plus(PER_TEST.multipliedBy(tests.size())));
    }

    private static void assertOutcome(CuOutcome expected, Map<String, CuResult> results, String how) {
        for (CuResult r : results.values()) {
            assertEquals(expected, r.outcome(), r.test() + " " + how + ": " + r.reason()
                    + " (log in target/it-logs/cu/selftest-*/" + r.test() + ".log)");
        }
    }

    private static void assertRelayWorked(FaultyRelay relay) {
        assertEquals(0, relay.digestLogins(), "a login negotiated digests: the relay cannot parse that stream");
        assertFalse(relay.alteredPdus() == 0, "the relay changed no PDU");
    }

    /** These tests must pass in every configuration, so the rig would have failed the build. */
    private static void assertTheLedgerFailsTheBuild(Collection<CuResult> results) {
        Ledger.Verdict verdict = Ledger.load().compare(LunConfiguration.RAMDISK.label, results,
                CuRunner.listAll(), LunConfiguration.labels());
        assertEquals(results.stream().map(CuResult::test).collect(Collectors.toSet()),
                verdict.regressions().stream().map(r -> r.substring(r.indexOf('/') + 1, r.indexOf(':')))
                        .collect(Collectors.toSet()),
                "every failure must be a regression against the ledger");
    }
}

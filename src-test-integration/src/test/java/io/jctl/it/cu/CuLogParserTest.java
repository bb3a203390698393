package io.jctl.it.cu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.cu.CuLogParser.RunEnd;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classifier against real iscsi-test-cu output shapes (captured from libiscsi 1.19 runs against tgtd). */
class CuLogParserTest {

    private static final String HEADER = "\n\n\n     CUnit - A unit testing framework for C - Version 2.1-3\n"
            + "     http://cunit.sourceforge.net/\n\n\n";
    private static final String SUMMARY = "\nRun Summary:    Type  Total    Ran Passed Failed Inactive\n"
            + "              suites      1      1    n/a      0        0\n";

    private static CuResult one(String test, String log, int exit, RunEnd end) {
        return CuLogParser.parse("ALL", List.of(test), log, exit, end).get(test);
    }

    @Test
    void passedTestIsPass() {
        CuResult r = one("ALL.Read10.Simple", HEADER + "Suite: Read10\n  Test: Simple ...passed\n" + SUMMARY, 0,
                RunEnd.EXITED);
        assertEquals(CuOutcome.PASS, r.outcome());
        assertEquals("", r.reason());
    }

    @Test
    void skippedMessageMakesASkipEvenThoughCunitSaysPassed() {
        String log = HEADER + "Suite: Inquiry\n  Test: BlockLimits ...    [SKIPPED] Logical unit is fully provisioned."
                + " Skipping test\npassed\n" + SUMMARY;
        CuResult r = one("ALL.Inquiry.BlockLimits", log, 0, RunEnd.EXITED);
        assertEquals(CuOutcome.SKIP, r.outcome());
        assertEquals("Logical unit is fully provisioned. Skipping test", r.reason());
    }

    @Test
    void notImplementedWithoutSkippedTagIsASkip() {
        String log = HEADER + "Suite: ModeSense6\n  Test: AllPages ...\nMODE SENSE 6 is not implemented on target\npassed\n"
                + SUMMARY;
        assertEquals(CuOutcome.SKIP, one("ALL.ModeSense6.AllPages", log, 0, RunEnd.EXITED).outcome());
    }

    @Test
    void failedAssertsGiveTheFirstAssertAndTheCount() {
        String log = HEADER + "Suite: iSCSIdatasn\n  Test: iSCSIDataSnInvalid ...FAILED\n"
                + "    1. test_iscsi_datasn_invalid.c:98  - CU_ASSERT_NOT_EQUAL(ret,0)\n"
                + "    2. test_iscsi_datasn_invalid.c:116  - CU_ASSERT_NOT_EQUAL(ret,0)\n" + SUMMARY;
        CuResult r = one("ALL.iSCSIdatasn.iSCSIDataSnInvalid", log, 1, RunEnd.EXITED);
        assertEquals(CuOutcome.FAIL, r.outcome());
        assertEquals("test_iscsi_datasn_invalid.c:98  - CU_ASSERT_NOT_EQUAL(ret,0) (+1 more failed asserts)",
                r.reason());
    }

    @Test
    void failedMessageFromTheTestComesFirst() {
        String log = HEADER + "Suite: Read10\n  Test: Simple ...\n    [FAILED] READ10 returned wrong data\nFAILED\n"
                + "    1. test_read10_simple.c:60  - CU_ASSERT_EQUAL(ret,0)\n" + SUMMARY;
        CuResult r = one("ALL.Read10.Simple", log, 1, RunEnd.EXITED);
        assertEquals(CuOutcome.FAIL, r.outcome());
        assertEquals("READ10 returned wrong data | test_read10_simple.c:60  - CU_ASSERT_EQUAL(ret,0)", r.reason());
    }

    @Test
    void startedButUnfinishedTestIsTimeoutWhenKilledByTheTimeout() {
        String log = HEADER + "Suite: iSCSIcmdsn\n  Test: iSCSICmdSnTooHigh ...\n    Send a command with CmdSN too high\n";
        CuResult r = one("ALL.iSCSIcmdsn.iSCSICmdSnTooHigh", log, -1, RunEnd.TIMED_OUT);
        assertEquals(CuOutcome.TIMEOUT, r.outcome());
        assertTrue(r.reason().startsWith("killed by the timeout; last output: Send a command"), r.reason());
    }

    @Test
    void startedButUnfinishedTestIsCrashWhenTheToolDied() {
        String log = HEADER + "Suite: Read16\n  Test: Simple ...\n";
        CuResult r = one("ALL.Read16.Simple", log, 139, RunEnd.EXITED);
        assertEquals(CuOutcome.CRASH, r.outcome());
        assertEquals("died with signal 11", r.reason());
    }

    @Test
    void verdictBeforeACrashInTeardownCountsWithANote() {
        String log = HEADER + "Suite: iSCSITMF\n  Test: AbortTaskSimpleAsync ...passed\n"
                + "  Test: LUNResetSimpleAsync ...passed\nmalloc(): corrupted top size\n";
        CuResult r = one("ALL.iSCSITMF.LUNResetSimpleAsync", log, 134, RunEnd.EXITED);
        assertEquals(CuOutcome.PASS, r.outcome());
        assertEquals("note: after its verdict the tool died with signal 6", r.reason());
    }

    @Test
    void suiteInitFailureFailsItsTests() {
        String log = HEADER + "WARNING - Suite initialization failed for 'Read10'.\n" + SUMMARY;
        CuResult r = one("ALL.Read10.Simple", log, 1, RunEnd.EXITED);
        assertEquals(CuOutcome.FAIL, r.outcome());
    }

    @Test
    void toolThatNeverStartsATestIsACrashWithItsLastWords() {
        CuResult r = one("ALL.Read10.Simple", "iscsi_connect failed. Connection refused\n", 255, RunEnd.EXITED);
        assertEquals(CuOutcome.CRASH, r.outcome());
        assertEquals("not reported by the tool: exited with status 255; last output: iscsi_connect failed."
                + " Connection refused", r.reason());
    }

    @Test
    void verdictGluedToTheLastMessageIsFound() {
        String log = HEADER + "Suite: Write10\n  Test: Flags ...\n    Write with FUA passed";
        assertEquals(CuOutcome.PASS, one("ALL.Write10.Flags", log, 0, RunEnd.EXITED).outcome());
    }

    @Test
    void teardownOutputGluedToTheLastAssertBecomesANote() {
        String log = HEADER + "Suite: Read10\n  Test: DpoFua ...FAILED\n"
                + "    1. test_read10_dpofua.c:43  - CU_ASSERT_EQUAL(_r,0)    [SKIPPED] PERSISTENT RESERVE IN is not"
                + " implemented.\n" + SUMMARY;
        CuResult r = one("ALL.Read10.DpoFua", log, 1, RunEnd.EXITED);
        assertEquals(CuOutcome.FAIL, r.outcome());
        assertEquals("test_read10_dpofua.c:43  - CU_ASSERT_EQUAL(_r,0); teardown said: [SKIPPED] PERSISTENT RESERVE IN"
                + " is not implemented.", r.reason());
    }

    @Test
    void teardownChatterAfterAPassIsLeftOut() {
        String log = HEADER + "Suite: Verify12\n  Test: Flags ...passed\n    [SKIPPED] PERSISTENT RESERVE IN is not"
                + " implemented.\n" + SUMMARY;
        CuResult r = one("ALL.Verify12.Flags", log, 0, RunEnd.EXITED);
        assertEquals(CuOutcome.PASS, r.outcome());
        assertEquals("", r.reason());
    }
}

package io.jctl.it.cu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private static final List<String> TOOL = List.of("ALL.Read10.Simple", "ALL.Inquiry.BlockLimits",
            "ALL.iSCSIdatasn.iSCSIDataSnInvalid", "ALL.ProutReserve.Simple", "ALL.ProutReserve.AccessEA");
    private static final Set<String> CONFIGURATIONS = Set.of("ramdisk", "block-4k");

    @Test
    void aTestMissingFromTheLedgerMustPass() {
        Ledger ledger = Ledger.parse("# nothing expected to fail\n");
        // what a READ(10) returning the wrong block looks like to the rig: a FAIL where PASS is expected
        Ledger.Verdict v = ledger.compare("ramdisk", List.of(new CuResult("ALL.Read10.Simple", CuOutcome.FAIL,
                "test_read10_simple.c:80  - CU_ASSERT_EQUAL(memcmp(...),0)")), TOOL, CONFIGURATIONS);
        assertEquals(1, v.regressions().size());
        assertTrue(v.regressions().get(0).startsWith("ramdisk/ALL.Read10.Simple: expected PASS, got FAIL"));
    }

    @Test
    void worseThanTheEntryIsARegressionBetterIsAnImprovement() {
        Ledger ledger = Ledger.parse("ramdisk/ALL.Inquiry.BlockLimits\tSKIP\tfully provisioned\n"
                + "ramdisk/ALL.iSCSIdatasn.iSCSIDataSnInvalid\tFAIL\tDataSN not checked yet\n");
        Ledger.Verdict v = ledger.compare("ramdisk", List.of(
                new CuResult("ALL.Inquiry.BlockLimits", CuOutcome.TIMEOUT, "killed by the timeout"),
                new CuResult("ALL.iSCSIdatasn.iSCSIDataSnInvalid", CuOutcome.PASS, "")), TOOL, CONFIGURATIONS);
        assertEquals(List.of("ramdisk/ALL.Inquiry.BlockLimits: expected SKIP, got TIMEOUT - killed by the timeout"),
                v.regressions());
        assertEquals(List.of("ramdisk/ALL.iSCSIdatasn.iSCSIDataSnInvalid: ledger says FAIL, got PASS - remove the entry"),
                v.improvements());
    }

    @Test
    void entriesBelongToTheirConfigurationOnly() {
        Ledger ledger = Ledger.parse("block-4k/ALL.Inquiry.BlockLimits\tSKIP\n");
        assertEquals(CuOutcome.SKIP, ledger.expected("block-4k", "ALL.Inquiry.BlockLimits"));
        assertEquals(CuOutcome.PASS, ledger.expected("ramdisk", "ALL.Inquiry.BlockLimits"));
    }

    @Test
    void aFailIsWorseThanASkip() {
        Ledger ledger = Ledger.parse("ramdisk/ALL.Inquiry.BlockLimits\tSKIP\n");
        Ledger.Verdict v = ledger.compare("ramdisk",
                List.of(new CuResult("ALL.Inquiry.BlockLimits", CuOutcome.FAIL, "x")), TOOL, CONFIGURATIONS);
        assertEquals(1, v.regressions().size());
    }

    @Test
    void entriesForTestsTheToolDoesNotKnowAreReported() {
        Ledger ledger = Ledger.parse("ramdisk/ALL.Read10.NoSuchTest\tFAIL\nblock-4k/ALL.Read10.Simple\tFAIL\n");
        assertEquals(List.of("ramdisk/ALL.Read10.NoSuchTest (the tool has no such test)"),
                ledger.compare("ramdisk", List.of(), TOOL, CONFIGURATIONS).staleEntries());
    }

    @Test
    void entriesForUnknownConfigurationsAreReported() {
        Ledger ledger = Ledger.parse("ramdsik/ALL.Read10.Simple\tFAIL\n*/ALL.Read10.Simple\tSKIP\n");
        assertEquals(List.of("ramdsik/ALL.Read10.Simple (no such configuration)"),
                ledger.compare("ramdisk", List.of(), TOOL, CONFIGURATIONS).staleEntries());
    }

    @Test
    void theMostSpecificEntryWins() {
        Ledger ledger = Ledger.parse("*/ALL.ProutReserve.*\tSKIP\tPERSISTENT RESERVE not implemented\n"
                + "*/ALL.ProutReserve.AccessEA\tFAIL\tany configuration, this test\n"
                + "ramdisk/ALL.ProutReserve.*\tTIMEOUT\tthis configuration, the suite\n"
                + "ramdisk/ALL.ProutReserve.AccessEA\tCRASH\tthis configuration, this test\n");
        assertEquals(CuOutcome.CRASH, ledger.expected("ramdisk", "ALL.ProutReserve.AccessEA"));
        assertEquals(CuOutcome.TIMEOUT, ledger.expected("ramdisk", "ALL.ProutReserve.Simple"));
        assertEquals(CuOutcome.FAIL, ledger.expected("block-4k", "ALL.ProutReserve.AccessEA"));
        assertEquals(CuOutcome.SKIP, ledger.expected("block-4k", "ALL.ProutReserve.Simple"));
        assertEquals("PERSISTENT RESERVE not implemented", ledger.reason("block-4k", "ALL.ProutReserve.Simple"));
        assertEquals(CuOutcome.PASS, ledger.expected("block-4k", "ALL.Read10.Simple"));
    }

    @Test
    void anImprovementUnderASuiteEntryNamesThatEntry() {
        Ledger ledger = Ledger.parse("*/ALL.ProutReserve.*\tSKIP\tPERSISTENT RESERVE not implemented\n");
        Ledger.Verdict v = ledger.compare("ramdisk",
                List.of(new CuResult("ALL.ProutReserve.Simple", CuOutcome.PASS, "")), TOOL, CONFIGURATIONS);
        assertEquals(List.of("ramdisk/ALL.ProutReserve.Simple: ledger says SKIP, got PASS - entry */ALL.ProutReserve.*"
                + " covers it: give this test its own entry or narrow that one"), v.improvements());
        assertTrue(v.regressions().isEmpty());
        assertTrue(v.staleEntries().isEmpty());
    }

    @Test
    void malformedLedgerIsRejectedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ledger.parse("ramdisk/ALL.Read10.Simple\tMAYBE\n"));
        assertEquals("cu-ledger.tsv line 1: unknown outcome MAYBE", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ledger.parse("r/ALL.A.B\tFAIL\nr/ALL.A.B\tSKIP\n"));
        assertThrows(IllegalArgumentException.class, () -> Ledger.parse("ALL.A.B\tFAIL\n")); // no configuration
        assertThrows(IllegalArgumentException.class, () -> Ledger.parse("r/ALL.A\tFAIL\n")); // neither test nor suite
    }
}

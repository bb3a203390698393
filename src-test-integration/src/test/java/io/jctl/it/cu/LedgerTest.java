package io.jctl.it.cu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private static final List<String> TOOL = List.of("ALL.Read10.Simple", "ALL.Inquiry.BlockLimits",
            "ALL.iSCSIdatasn.iSCSIDataSnInvalid");

    @Test
    void aTestMissingFromTheLedgerMustPass() {
        Ledger ledger = Ledger.parse("# nothing expected to fail\n");
        // what a READ(10) returning the wrong block looks like to the rig: a FAIL where PASS is expected
        Ledger.Verdict v = ledger.compare("ramdisk", List.of(new CuResult("ALL.Read10.Simple", CuOutcome.FAIL,
                "test_read10_simple.c:80  - CU_ASSERT_EQUAL(memcmp(...),0)")), TOOL);
        assertEquals(1, v.regressions().size());
        assertTrue(v.regressions().get(0).startsWith("ramdisk/ALL.Read10.Simple: expected PASS, got FAIL"));
    }

    @Test
    void worseThanTheEntryIsARegressionBetterIsAnImprovement() {
        Ledger ledger = Ledger.parse("ramdisk/ALL.Inquiry.BlockLimits\tSKIP\tfully provisioned\n"
                + "ramdisk/ALL.iSCSIdatasn.iSCSIDataSnInvalid\tFAIL\tDataSN not checked yet\n");
        Ledger.Verdict v = ledger.compare("ramdisk", List.of(
                new CuResult("ALL.Inquiry.BlockLimits", CuOutcome.TIMEOUT, "killed by the timeout"),
                new CuResult("ALL.iSCSIdatasn.iSCSIDataSnInvalid", CuOutcome.PASS, "")), TOOL);
        assertEquals(List.of("ramdisk/ALL.Inquiry.BlockLimits: expected SKIP, got TIMEOUT - killed by the timeout"),
                v.regressions());
        assertEquals(List.of("ramdisk/ALL.iSCSIdatasn.iSCSIDataSnInvalid: ledger says FAIL, got PASS (remove the entry)"),
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
                List.of(new CuResult("ALL.Inquiry.BlockLimits", CuOutcome.FAIL, "x")), TOOL);
        assertEquals(1, v.regressions().size());
    }

    @Test
    void entriesForTestsTheToolDoesNotKnowAreReported() {
        Ledger ledger = Ledger.parse("ramdisk/ALL.Read10.NoSuchTest\tFAIL\nblock-4k/ALL.Read10.Simple\tFAIL\n");
        assertEquals(List.of("ramdisk/ALL.Read10.NoSuchTest"), ledger.compare("ramdisk", List.of(), TOOL).staleEntries());
    }

    @Test
    void malformedLedgerIsRejectedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ledger.parse("ramdisk/ALL.Read10.Simple\tMAYBE\n"));
        assertEquals("cu-ledger.tsv line 1: unknown outcome MAYBE", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ledger.parse("r/ALL.A.B\tFAIL\nr/ALL.A.B\tSKIP\n"));
        assertThrows(IllegalArgumentException.class, () -> Ledger.parse("ALL.A.B\tFAIL\n")); // no configuration
    }
}

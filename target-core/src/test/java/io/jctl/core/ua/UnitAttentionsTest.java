package io.jctl.core.ua;

import io.jctl.core.task.Nexus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitAttentionsTest {
    private static final Nexus A = new Nexus("a", "a,i,1", 1);
    private static final Nexus B = new Nexus("b", "b,i,1", 1);
    private final UnitAttentions uas = new UnitAttentions();

    @Test
    void aNewNexusHasNothingPending() {
        assertNull(uas.peek(A));
        assertNull(uas.take(A));
    }

    @Test
    void raiseAllReachesOnlyNexusesThatUsedTheLun() {
        uas.take(A);
        uas.raiseAll(UnitAttention.CAPACITY_DATA_CHANGED, null);
        assertEquals(UnitAttention.CAPACITY_DATA_CHANGED, uas.peek(A));
        assertNull(uas.peek(B));
        uas.raiseIfKnown(B, UnitAttention.I_T_NEXUS_LOSS);
        assertNull(uas.peek(B));
        uas.raise(B, UnitAttention.POWER_ON);
        assertEquals(UnitAttention.POWER_ON, uas.take(B));
    }

    @Test
    void slotsOfDepartedNexusesArePrunedAtTheLimit() {
        uas.raise(A, UnitAttention.MODE_PARAMETERS_CHANGED);
        for (int i = 0; i < UnitAttentions.MAX_SLOTS + 10; i++) {
            Nexus gone = new Nexus("g", "g,i," + i, 1);
            uas.take(gone);
            uas.raiseIfKnown(gone, UnitAttention.I_T_NEXUS_LOSS);
        }
        assertTrue(uas.slotCount() <= UnitAttentions.MAX_SLOTS);
        assertEquals(UnitAttention.MODE_PARAMETERS_CHANGED, uas.peek(A), "a slot with a real condition stays");
    }

    @Test
    void reportedInPriorityOrderOnePerCommand() {
        uas.take(A);
        uas.raise(A, UnitAttention.CAPACITY_DATA_CHANGED);
        uas.raise(A, UnitAttention.MODE_PARAMETERS_CHANGED);
        uas.raise(A, UnitAttention.REPORTED_LUNS_CHANGED);
        assertEquals(UnitAttention.REPORTED_LUNS_CHANGED, uas.take(A));
        assertEquals(UnitAttention.MODE_PARAMETERS_CHANGED, uas.take(A));
        assertEquals(UnitAttention.CAPACITY_DATA_CHANGED, uas.take(A));
        assertNull(uas.take(A));
    }

    @Test
    void reportingAResetClassConditionWipesTheOthers() {
        uas.take(A);
        uas.raise(A, UnitAttention.CAPACITY_DATA_CHANGED);
        uas.raise(A, UnitAttention.I_T_NEXUS_LOSS);
        uas.raise(A, UnitAttention.LUN_RESET);
        assertEquals(UnitAttention.I_T_NEXUS_LOSS, uas.take(A));
        assertNull(uas.take(A), "reset class wiped LUN RESET and CAPACITY CHANGED");
    }

    @Test
    void lunResetIsNotResetClass() {
        uas.take(A);
        uas.raise(A, UnitAttention.LUN_RESET);
        uas.raise(A, UnitAttention.CAPACITY_DATA_CHANGED);
        assertEquals(UnitAttention.LUN_RESET, uas.take(A));
        assertEquals(UnitAttention.CAPACITY_DATA_CHANGED, uas.take(A));
    }

    @Test
    void raiseAllSkipsTheExceptedNexus() {
        uas.take(A);
        uas.take(B);
        uas.raiseAll(UnitAttention.MODE_PARAMETERS_CHANGED, A);
        assertNull(uas.peek(A));
        assertEquals(UnitAttention.MODE_PARAMETERS_CHANGED, uas.peek(B));
        uas.clear(B, UnitAttention.MODE_PARAMETERS_CHANGED);
        assertFalse(uas.pending(B, UnitAttention.MODE_PARAMETERS_CHANGED));
    }

    @Test
    void peekDoesNotClear() {
        uas.raise(A, UnitAttention.POWER_ON);
        uas.peek(A);
        assertTrue(uas.pending(A, UnitAttention.POWER_ON));
    }
}

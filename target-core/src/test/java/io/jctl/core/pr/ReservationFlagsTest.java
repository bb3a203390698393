package io.jctl.core.pr;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.StandardOpcodes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_RESV;
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_WRESV;
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_RESV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of the target's opcode table carries the reservation flags of ctl-facts §1.2 (R = ALLOW_ON_RESV,
 * PR = ALLOW_ON_PR_RESV, PW = ALLOW_ON_PR_WRESV), so the conflict check lets exactly CTL's commands through.
 */
class ReservationFlagsTest {
    private static final Map<String, String> EXPECTED = new HashMap<>();

    static {
        expect("", 0x04, 0x0a, 0x15, 0x55, 0x1e, 0x2a, 0xaa, 0x8a, 0x2e, 0xae, 0x8e, 0x35, 0x91, 0x37, 0xb7, 0x3b,
                0x3c, 0x9b, 0x41, 0x93, 0x42, 0x43, 0x46, 0x4a, 0x83, 0x84, 0x89, 0x9c, 0xbd);
        expect("PR", 0x00, 0x1b, 0x25, 0x4d);
        expect("PW", 0x08, 0x1a, 0x5a, 0x28, 0xa8, 0x2f, 0xaf, 0x8f, 0x88);
        expect("R", 0x16, 0x56, 0x17, 0x57);
        expect("R PR", 0x03, 0x12, 0x5e, 0x5f, 0xa0);
        EXPECTED.put("9e/10", "PR");
        EXPECTED.put("9e/12", "PW");
        EXPECTED.put("a3/05", "");
        for (int sa : new int[] {0x0a, 0x0c, 0x0d, 0x0f}) {
            EXPECTED.put(String.format("a3/%02x", sa), "PR");
        }
    }

    private static void expect(String flags, int... opcodes) {
        for (int op : opcodes) {
            EXPECTED.put(String.format("%02x", op), flags);
        }
    }

    private static String flags(Set<CommandFlag> f) {
        List<String> out = new ArrayList<>();
        if (f.contains(ALLOW_ON_RESV)) {
            out.add("R");
        }
        if (f.contains(ALLOW_ON_PR_RESV)) {
            out.add("PR");
        }
        if (f.contains(ALLOW_ON_PR_WRESV)) {
            out.add("PW");
        }
        return String.join(" ", out);
    }

    @Test
    void everyKnownRowCarriesCtlsReservationFlags() {
        int checked = 0;
        for (OpcodeEntry e : StandardOpcodes.table().entries()) {
            String op = String.format("%02x", e.opcode());
            String key = e.hasServiceAction() && EXPECTED.containsKey(op + String.format("/%02x", e.serviceAction()))
                    ? op + String.format("/%02x", e.serviceAction()) : op;
            String want = EXPECTED.get(key);
            if (want == null) {
                continue;
            }
            assertEquals(want, flags(e.flags()), e.name());
            checked++;
        }
        assertTrue(checked >= 40, "only " + checked + " rows checked");
    }
}

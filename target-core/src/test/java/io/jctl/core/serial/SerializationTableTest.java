package io.jctl.core.serial;

import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.serial.TaskSet.Admission;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TaskAttribute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drives every cell of ctl-facts §2.3 through a real task set: an older SIMPLE task of the column's class is
 * running, a new SIMPLE task of the row's class arrives from another nexus; whether it runs or waits must match
 * the cell under each condition the cell depends on.
 */
class SerializationTableTest {
    /** ctl-facts §2.3, transcribed independently of the production table. */
    private static final String SPEC = """
            TUR     pS pS pS pS pS bK bK pS pS pS bK pS pS bK
            READ    pS xS xT xO pS bK bK pS pS pS bK pS bK bK
            WRITE   pS xT xT xO pS bK bK pS pS pS bK pS bK bK
            UNMAP   pS bO bO pS pS bK bK pS pS pS bK pS bK bK
            SYNC    pS pS bO pS pS bK bK pS pS pS bK pS bK bK
            MD_SNS  bK bK bK bK bK pS bK pS pS pS bK pS bK bK
            MD_SEL  bK bK bK bK bK bK bK pS pS pS bK bK bK bK
            RQ_SNS  bK bK bK bK bK bK bK bK bK bK bK bK pS bK
            INQ     pS pS pS pS pS pS pS pS pS pS pS pS pS pS
            RD_CAP  pS pS pS pS pS pS pS pS pS pS bK pS bK bK
            RES     bK bK bK bK bK bK bK bK pS pS bK bK bK bK
            LOG_SNS pS pS pS pS pS pS pS pS pS pS bK pS bK bK
            FORMAT  bK bK bK bK bK bK bK bK bK bK bK bK bK bK
            START   bK bK bK bK bK bK bK bK bK pS bK bK bK bK
            """;

    private static final Nexus A = new Nexus("a", "a,i,1", 1);
    private static final Nexus B = new Nexus("b", "b,i,1", 1);

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        String[] lines = SPEC.strip().split("\n");
        SerializationClass[] cols = SerializationClass.values();
        assertEquals(cols.length, lines.length);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            SerializationClass row = SerializationClass.valueOf(f[0]);
            for (int c = 0; c < cols.length; c++) {
                out.add(Arguments.of(row, cols[c], f[c + 1]));
            }
        }
        return out.stream();
    }

    private static Admission admit(SerializationClass newer, LbaExtent newExtent, SerializationClass older,
                                   LbaExtent oldExtent, boolean unrestricted, SerSeq seq) {
        TaskSet set = new TaskSet(() -> unrestricted, () -> seq);
        assertEquals(Admission.RUN, set.admit(new OoaEntry(A, 1, TaskAttribute.SIMPLE, older, oldExtent)));
        return set.admit(new OoaEntry(B, 2, TaskAttribute.SIMPLE, newer, newExtent));
    }

    @ParameterizedTest(name = "new {0} after old {1}: {2}")
    @MethodSource("cells")
    void cell(SerializationClass newer, SerializationClass older, String code) {
        assertEquals(code, SerializationTable.cell(newer, older).code(), "table text");
        LbaExtent base = new LbaExtent(100, 10);
        LbaExtent overlapping = new LbaExtent(105, 10);
        LbaExtent disjoint = new LbaExtent(500, 10);
        LbaExtent adjacent = new LbaExtent(110, 10);
        Admission overlapRestricted = admit(newer, overlapping, older, base, false, SerSeq.OFF);
        Admission overlapUnrestricted = admit(newer, overlapping, older, base, true, SerSeq.OFF);
        Admission disjointRestricted = admit(newer, disjoint, older, base, false, SerSeq.OFF);
        switch (code) {
            case "pS" -> {
                assertEquals(Admission.RUN, overlapRestricted);
                assertEquals(Admission.RUN, overlapUnrestricted);
            }
            case "bK" -> {
                assertEquals(Admission.BLOCKED, overlapRestricted);
                assertEquals(Admission.BLOCKED, overlapUnrestricted);
                assertEquals(Admission.BLOCKED, disjointRestricted);
            }
            case "bO" -> {
                assertEquals(Admission.BLOCKED, overlapRestricted);
                assertEquals(Admission.BLOCKED, disjointRestricted);
                assertEquals(Admission.RUN, overlapUnrestricted);
            }
            case "xT" -> {
                assertEquals(Admission.BLOCKED, overlapRestricted);
                assertEquals(Admission.BLOCKED, overlapUnrestricted);
                assertEquals(Admission.RUN, disjointRestricted);
                assertEquals(Admission.RUN, admit(newer, adjacent, older, base, false, SerSeq.READ));
                assertEquals(Admission.BLOCKED, admit(newer, adjacent, older, base, false, SerSeq.ON),
                        "serseq=on: adjacency collides");
                assertEquals(Admission.BLOCKED, admit(newer, null, older, base, false, SerSeq.OFF),
                        "unknown range collides");
            }
            case "xO" -> {
                assertEquals(Admission.BLOCKED, overlapRestricted);
                assertEquals(Admission.RUN, disjointRestricted);
                assertEquals(Admission.RUN, overlapUnrestricted);
                assertEquals(Admission.BLOCKED, admit(newer, null, older, base, false, SerSeq.OFF),
                        "unknown range collides");
            }
            case "xS" -> {
                assertEquals(Admission.RUN, overlapRestricted, "reads never collide by overlap");
                assertEquals(Admission.RUN, admit(newer, adjacent, older, base, false, SerSeq.OFF));
                assertEquals(Admission.BLOCKED, admit(newer, adjacent, older, base, false, SerSeq.READ));
                assertEquals(Admission.BLOCKED, admit(newer, adjacent, older, base, false, SerSeq.ON));
                assertEquals(Admission.RUN, admit(newer, adjacent, older, base, false, SerSeq.SOFT),
                        "soft: the older read is already issued");
                assertEquals(Admission.RUN, admit(newer, new LbaExtent(90, 10), older, base, false, SerSeq.READ),
                        "only a read that starts where the older one ends waits");
            }
            default -> throw new AssertionError("unknown code " + code);
        }
    }
}

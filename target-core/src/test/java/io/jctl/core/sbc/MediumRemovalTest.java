package io.jctl.core.sbc;

import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.RecordingTransport;
import io.jctl.core.testing.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.jctl.core.testing.TestCommands.cdb;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** PREVENT ALLOW MEDIUM REMOVAL, eject and load, and the resets that clear prevent bits, through the core. */
class MediumRemovalTest {
    private static final byte[] TUR = cdb(0x00, 0, 0, 0, 0, 0);
    private static final byte[] PREVENT = cdb(0x1e, 0, 0, 0, 0x01, 0);
    private static final byte[] ALLOW = cdb(0x1e, 0, 0, 0, 0x00, 0);
    private static final byte[] EJECT = cdb(0x1b, 0, 0, 0, 0x02, 0);
    private static final byte[] LOAD = cdb(0x1b, 0, 0, 0, 0x03, 0);
    private static final byte[] READ10 = cdb(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0);
    private static final byte[] INQUIRY = cdb(0x12, 0, 0, 0, 36, 0);

    private CoreHarness h;
    private Nexus a;
    private Nexus b;

    @BeforeEach
    void setUp() throws Exception {
        h = CoreHarness.standard();
        h.dataDisk(0, "removable", "on");
        h.dataDisk(1);
        a = h.nexus("a");
        b = h.nexus("b");
        for (Nexus n : new Nexus[] {a, b}) {
            h.clearUnitAttentions(n, 0);
            h.clearUnitAttentions(n, 1);
        }
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private String run(Nexus n, byte[] cdb) throws InterruptedException {
        RecordingTransport.Completion c = h.run(n, 0, cdb);
        return c.status() == ScsiStatus.GOOD ? "good" : Sense.code(c.sense());
    }

    private void tmf(TmfFunction f, Nexus n) throws Exception {
        h.core.taskManagement(new TmfRequest(f, n, LunAddress.encode(0), 0)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void onlyRemovableLunsHaveIt() throws Exception {
        assertEquals("5/20/00", Sense.code(h.run(a, 1, PREVENT).sense()));
        assertEquals("5/24/00", Sense.code(h.run(a, 1, EJECT).sense()));
        RecordingTransport.Completion obsolete = h.run(a, 0, cdb(0x1e, 0, 0, 0, 0x04, 0));
        assertEquals(0xca0004, Sense.sks(obsolete.sense()), "bits 7-2 of PREVENT are not in the mask");
    }

    @Test
    void anyNexusPreventingBlocksEveryEject() throws Exception {
        assertEquals("good", run(a, PREVENT));
        assertEquals("5/53/02", run(a, EJECT));
        assertEquals("5/53/02", run(b, EJECT));
        assertEquals("good", run(b, TUR), "still loaded");
        assertEquals("good", run(b, ALLOW), "b never prevented: no change");
        assertEquals("5/53/02", run(b, EJECT));
        assertEquals("good", run(a, ALLOW));
        assertEquals("good", run(b, EJECT));
    }

    @Test
    void anEjectedMediumIsNotPresentUntilLoaded() throws Exception {
        assertEquals("good", run(a, EJECT));
        assertEquals("2/3a/02", run(a, TUR));
        assertEquals("2/3a/02", run(b, READ10));
        assertEquals("good", run(b, INQUIRY), "INQUIRY needs no medium");
        assertEquals("good", run(a, PREVENT), "PREVENT needs no medium");
        assertEquals("5/53/02", run(b, LOAD), "the medium does not move while prevented");
        assertEquals("2/3a/02", run(a, TUR));
        assertEquals("good", run(a, ALLOW));
        assertEquals("good", run(b, LOAD));
        assertEquals("good", run(b, TUR), "the loader gets no unit attention");
        assertEquals("6/28/00", run(a, TUR), "MEDIUM CHANGED for the others");
        assertEquals("good", run(a, TUR));
    }

    @Test
    void stopIsNotEject() throws Exception {
        assertEquals("good", run(a, cdb(0x1b, 0, 0, 0, 0x00, 0)));
        assertEquals("2/04/02", run(a, TUR));
        assertEquals("good", run(a, cdb(0x1b, 0, 0, 0, 0x01, 0)));
        assertEquals("good", run(b, TUR), "no medium change");
    }

    @Test
    void lunResetClearsEveryPreventBit() throws Exception {
        assertEquals("good", run(a, PREVENT));
        assertEquals("good", run(b, PREVENT));
        tmf(TmfFunction.LOGICAL_UNIT_RESET, b);
        h.clearUnitAttentions(a, 0);
        assertEquals("good", run(a, EJECT));
    }

    @Test
    void nexusResetAndLossClearOnlyThatNexus() throws Exception {
        assertEquals("good", run(a, PREVENT));
        assertEquals("good", run(b, PREVENT));
        tmf(TmfFunction.I_T_NEXUS_RESET, b);
        h.clearUnitAttentions(b, 0);
        assertEquals("5/53/02", run(b, EJECT), "a still prevents");
        h.core.nexusLost(a);
        assertEquals("good", run(b, EJECT));
    }

    @Test
    void targetResetClearsPreventBits() throws Exception {
        assertEquals("good", run(a, PREVENT));
        tmf(TmfFunction.TARGET_RESET, b);
        h.clearUnitAttentions(a, 0);
        assertEquals("good", run(a, EJECT));
    }
}

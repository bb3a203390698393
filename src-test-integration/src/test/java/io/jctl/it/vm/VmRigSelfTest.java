package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The VM rig catches a target that returns wrong data: between the guest and the real daemon sits a
 * {@link CorruptingRelay} that alters the first block of every file the guest wrote (on the way back only). The
 * guest must still log in and see the disk, and its ext4 workload must fail on the checksums.
 */
class VmRigSelfTest {

    @Test
    void aTargetReturningWrongDataFailsTheExt4ChecksumComparison(TestInfo test) throws Exception {
        InitiatorVm vm = InitiatorVm.prepare();
        try (Daemon daemon = Daemon.start(test);
                CorruptingRelay relay = new CorruptingRelay(daemon.port(),
                        "JCTL-VM-PAYLOAD".getBytes(StandardCharsets.US_ASCII))) {
            InitiatorVm.GuestRun run = vm.run(relay.portal(),
                    GuestConfig.of(Daemon.DEFAULT_TARGET).withWorkloads("setup", "discovery", "login", "ext4"),
                    InitiatorVm.logDir(VmRigSelfTest.class.getSimpleName()));
            GuestReport report = run.report();

            assertTrue(report.result("login").map(GuestResult::passed).orElse(false),
                    "login must work through the relay\n" + run.describe());
            GuestResult ext4 = report.result("ext4").orElseThrow(() -> new AssertionError(run.describe()));
            assertTrue(!ext4.passed() && ext4.details().contains("checksum mismatch"),
                    "the guest must detect the altered file data\n" + run.describe());
            assertTrue(relay.corruptedPdus() > 0, "the relay altered no Data-In PDU\n" + run.describe());
            assertTrue(!run.process().ok(), "run-vm.sh must exit non-zero when a workload fails\n" + run.describe());
        }
    }
}

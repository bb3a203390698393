package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.support.Daemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The Linux kernel initiator (open-iscsi in a QEMU VM, scripts/vm) against the real daemon's embedded default
 * target: one boot runs every workload in order, each test checks one workload's result line from the guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelInitiatorTest {

    private Daemon daemon;
    private InitiatorVm.GuestRun run;

    @BeforeAll
    void bootTheGuestAgainstTheDaemon(TestInfo test) {
        InitiatorVm vm = InitiatorVm.prepare();
        daemon = Daemon.start(test);
        run = vm.run(daemon.portal(), GuestConfig.of(Daemon.DEFAULT_TARGET),
                InitiatorVm.logDir(KernelInitiatorTest.class.getSimpleName()));
        System.out.println("kernel initiator VM:\n" + run.report().summary());
    }

    @AfterAll
    void stopTheDaemon() {
        if (daemon != null) daemon.stop();
    }

    @Test
    void theGuestBootsAndRunsEveryWorkload() {
        assertTrue(run.report().booted().isPresent(), "the guest kernel did not boot\n" + run.describe());
        assertTrue(run.report().done(), "the guest did not reach its last workload\n" + run.describe());
        assertTrue(run.process().ok(), "run-vm.sh reported a failure\n" + run.describe());
    }

    @Test
    void sendTargetsDiscoveryListsTheDefaultTarget() {
        String details = passed("discovery");
        assertTrue(details.contains(Daemon.DEFAULT_TARGET), details);
    }

    @Test
    void loginShowsLun0AsAOneGibDisk() {
        // 2097152 sectors of 512 bytes, as the kernel's sd driver sized it
        String details = passed("login");
        assertTrue(details.contains("2097152 sectors"), details);
    }

    @Test
    void sgInqSgVpdAndSgReadcapSeeTheLun() {
        String details = passed("inquiry");
        assertTrue(details.contains("FREEBSD"), details);
        assertTrue(details.contains("Logical block length=512 bytes"), details);
        // VPD 0xb2 and 0xb0's unmap fields were read and reported (the default LUN is fully provisioned)
        assertTrue(details.contains("lbp: LBPU=") && details.contains("max_unmap_lba="), details);
    }

    @Test
    void directIoOnTheRawDeviceReadsBackWhatWasWritten() {
        String details = passed("raw");
        assertTrue(details.contains("all equal"), details);
    }

    @Test
    void fioRandomWritesVerifiedWithCrc32cOnTheRawDevice() {
        // up to 64 MiB written (90 s bound), every block read back and its crc32c checked (verify_fatal: a bad
        // block fails fio); the guest also fails unless everything written was verified
        String details = passed("fio");
        assertTrue(details.contains("exit=0 error=0"), details);
    }

    @Test
    void ext4WrittenThenRemountedReadsBackTheSameChecksumsAndFsckIsClean() {
        String details = passed("ext4");
        assertTrue(details.contains("checksums equal") && details.contains("e2fsck -fn clean"), details);
    }

    @Test
    void dataSurvivesLogoutAndLoginAgain() {
        passed("relogin");
    }

    @Test
    void xfsWrittenThenRemountedReadsBackTheSameChecksumsAndRepairFindsNothing() {
        String details = passed("xfs");
        assertTrue(details.contains("checksums equal") && details.contains("xfs_repair -n clean"), details);
    }

    @Test
    void theGuestLogsOutCleanly() {
        passed("logout");
    }

    private String passed(String workload) {
        GuestResult result = run.report().result(workload)
                .orElseGet(() -> fail("the guest reported nothing for " + workload + "\n" + run.describe()));
        assertTrue(result.passed(), workload + " failed in the guest: " + result.details() + "\n" + run.describe());
        return result.details();
    }
}

package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * CHAP with the Linux kernel initiator: the daemon serves a target that requires CHAP (one-way) and one that
 * requires mutual CHAP. In each boot the guest first logs in with a wrong secret, which the target must refuse
 * (authorization failure, no session), then with the right one and uses the LUN. The LUNs are RAM disks without
 * capacity (CTL's black hole): logging in and INQUIRY need no stored data.
 */
class KernelInitiatorChapTest {

    private static final String ONE_WAY_TARGET = "iqn.2026-11.io.jctl:chap";
    private static final String MUTUAL_TARGET = "iqn.2026-11.io.jctl:mutual";
    private static final String CONFIG = """
            auth-group:
              ag-chap:
                chap:
                  - user: vmguest
                    secret: guest-secret-12
              ag-mutual:
                chap-mutual:
                  user: vmguest2
                  secret: guest2-secret-1
                  mutual-user: jctl-target
                  mutual-secret: target-secret-1
            portal-group:
              default:
                listen: 127.0.0.1:@PORT@
                discovery-auth-group: no-authentication
            target:
              iqn.2026-11.io.jctl:chap:
                auth-group: ag-chap
                portal-group: default
                lun:
                  0:
                    backend: ramdisk
                    size: 64M
              iqn.2026-11.io.jctl:mutual:
                auth-group: ag-mutual
                portal-group: default
                lun:
                  0:
                    backend: ramdisk
                    size: 64M
            """;

    @Test
    void oneWayChapRefusesAWrongSecretAndAdmitsTheRightOne(TestInfo test) {
        InitiatorVm vm = InitiatorVm.prepare();
        try (Daemon daemon = Daemon.start(test, CONFIG)) {
            InitiatorVm.GuestRun run = vm.run(daemon.portal(),
                    GuestConfig.of(ONE_WAY_TARGET).withChap("vmguest", "guest-secret-12")
                            .withWorkloads("setup", "discovery", "badchap", "login", "inquiry", "logout"),
                    InitiatorVm.logDir("KernelInitiatorChapTest.oneWay"));
            assertEveryWorkloadPassed(run);
        }
    }

    @Test
    void mutualChapRefusesAWrongSecretAndAdmitsTheRightOne(TestInfo test) {
        InitiatorVm vm = InitiatorVm.prepare();
        try (Daemon daemon = Daemon.start(test, CONFIG)) {
            InitiatorVm.GuestRun run = vm.run(daemon.portal(),
                    GuestConfig.of(MUTUAL_TARGET).withChap("vmguest2", "guest2-secret-1")
                            .withMutualChap("jctl-target", "target-secret-1")
                            .withWorkloads("setup", "discovery", "badchap", "login", "inquiry", "logout"),
                    InitiatorVm.logDir("KernelInitiatorChapTest.mutual"));
            assertEveryWorkloadPassed(run);
        }
    }

    private static void assertEveryWorkloadPassed(InitiatorVm.GuestRun run) {
        GuestReport report = run.report();
        assertTrue(report.done(), "the guest did not finish\n" + run.describe());
        for (String workload : new String[] {"setup", "discovery", "badchap", "login", "inquiry", "logout"}) {
            assertTrue(report.result(workload).map(GuestResult::passed).orElse(false),
                    workload + " did not pass\n" + run.describe());
        }
        assertTrue(run.process().ok(), "run-vm.sh reported a failure\n" + run.describe());
    }
}

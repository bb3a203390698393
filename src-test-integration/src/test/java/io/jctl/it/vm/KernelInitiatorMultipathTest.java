package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.ToolResult;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * One boot of the kernel initiator against a thin-provisioned RAM disk (unmap on) that its target offers through
 * two portal groups: discard (blkdiscard on the raw device, fstrim on ext4) where the target advertises UNMAP, then
 * dm-multipath over both portals, with the first portal's port taken offline by ctladm while the guest writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelInitiatorMultipathTest {

    private static final String TARGET = "iqn.2026-11.io.jctl:vm-multipath";
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(30);

    private Daemon daemon;
    private InitiatorVm.GuestRun run;
    /** What VPD page 0xb2 of the LUN says, read from the host before the guest boots. */
    private boolean advertisesUnmap;
    private String provisioningPage;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    void bootTheGuestAgainstTwoPortals(TestInfo test) throws IOException {
        InitiatorVm vm = InitiatorVm.prepare();
        int secondPort = Daemon.freePort();
        String config = """
                portal-group:
                  default:
                    listen: 127.0.0.1:@PORT@
                    discovery-auth-group: no-authentication
                  second:
                    listen: 127.0.0.1:%d
                    discovery-auth-group: no-authentication
                target:
                  %s:
                    auth-group: no-authentication
                    portal-group: [default, second]
                    lun:
                      0:
                        backend: ramdisk
                        size: 1G
                        options:
                          capacity: 1G
                          unmap: "on"
                """.formatted(secondPort, TARGET);
        daemon = Daemon.start(test, config);
        provisioningPage = logicalBlockProvisioningPage();
        advertisesUnmap = provisioningPage.lines().anyMatch(line -> line.strip().equals("lbpu:1"));
        List<String> workloads = new ArrayList<>(List.of("setup", "discovery", "login", "inquiry"));
        if (advertisesUnmap) workloads.add("trim");
        workloads.addAll(List.of("multipath", "logout"));
        run = vm.run(daemon.portal(), "127.0.0.1:" + secondPort,
                GuestConfig.of(TARGET).withWorkloads(workloads.toArray(String[]::new)),
                InitiatorVm.logDir(KernelInitiatorMultipathTest.class.getSimpleName()), this::answer);
        System.out.println("kernel initiator VM (two portals, unmap on):\n" + run.report().summary());
    }

    @AfterAll
    void stopTheDaemon() {
        if (daemon != null) daemon.stop();
    }

    @Test
    void theGuestFinishesEveryWorkload() {
        assertTrue(run.report().done(), "the guest did not reach its last workload\n" + run.describe());
        assertTrue(run.process().ok(), "run-vm.sh reported a failure\n" + run.describe());
    }

    @Test
    void discoveryListsTheTargetOnBothPortals() {
        String details = passed("discovery");
        assertTrue(details.contains(",1 " + TARGET) && details.contains(",2 " + TARGET), details);
    }

    @Test
    void multipathKeepsDoingIoWhenOnePortIsTakenOffline() {
        String details = passed("multipath");
        assertTrue(details.matches(".*paths: \\d+:\\d+ A \\d+:\\d+ A ;.*"), "two active paths at first: " + details);
        assertTrue(details.contains("16 MiB written and verified over the remaining path, earlier data intact"),
                details);
        assertTrue(details.matches(".*paths: (\\d+:\\d+ F \\d+:\\d+ A|\\d+:\\d+ A \\d+:\\d+ F)\\s*$"),
                "one path failed, one active: " + details);
        assertEquals(List.of("port-off 1"), requests, "what the guest asked the host for");
    }

    @Test
    void discardReachesTheLunAndDiscardedBlocksReadAsZeros() {
        Assumptions.assumeTrue(advertisesUnmap, "the target does not advertise UNMAP (VPD 0xb2 LBPU=0) for a LUN "
                + "with unmap on, so the guest cannot discard:\n" + provisioningPage);
        String details = passed("trim");
        assertTrue(details.contains("blkdiscard of 8 MiB reads back zeros"), details);
        assertTrue(details.matches(".*fstrim on ext4 trimmed [1-9]\\d* bytes, e2fsck -fn clean.*"), details);
        String inquiry = passed("inquiry");
        assertTrue(inquiry.contains("LBPU=1"), inquiry);
    }

    /** The guest's requests: "port-off 1" takes the target's port on the first portal group (tag 1) offline. */
    private void answer(String request) {
        requests.add(request);
        if (!request.equals("port-off 1")) fail("unknown guest request: " + request);
        String portlist = daemon.checkCtladm("portlist").stdout();
        String port = portlist.lines().map(String::strip).filter(line -> line.endsWith(TARGET + ",t,0x0001"))
                .map(line -> line.split("\\s+")[0]).findFirst()
                .orElseGet(() -> fail("no port of " + TARGET + " on portal group tag 1 in:\n" + portlist));
        daemon.checkCtladm("port", "-o", "off", "-p", port);
    }

    /** VPD page 0xb2 of LUN 0 as iscsi-inq prints it ("lbpu:1" ...), read through the first portal. */
    private String logicalBlockProvisioningPage() {
        Tools.assumeInstalled("iscsi-inq");
        String url = "iscsi://" + daemon.portal() + "/" + TARGET + "/0";
        ToolResult inq = Tools.run(PROBE_DEADLINE, List.of("iscsi-inq", "-e", "1", "-c", "178", url));
        if (!inq.ok()) fail("iscsi-inq could not read VPD page 0xb2: " + inq.describe());
        return inq.stdout();
    }

    private String passed(String workload) {
        GuestResult result = run.report().result(workload)
                .orElseGet(() -> fail("the guest reported nothing for " + workload + "\n" + run.describe()));
        assertTrue(result.passed(), workload + " failed in the guest: " + result.details() + "\n" + run.describe());
        return result.details();
    }
}

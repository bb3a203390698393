package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel initiator's data workloads on LUNs other than the default 512-byte RAM disk: a RAM disk with
 * 4096-byte logical blocks (direct I/O on the raw device, ext4) and a file LUN of backend-block (xfs), whose backing file must then hold what
 * the guest wrote.
 */
class KernelInitiatorLunKindsTest {

    private static final String TARGET = "iqn.2026-11.io.jctl:vm-luns";

    @Test
    void ext4OnA4096ByteBlockRamDisk(TestInfo test) {
        InitiatorVm vm = InitiatorVm.prepare();
        String config = """
                portal-group:
                  default:
                    listen: 127.0.0.1:@PORT@
                    discovery-auth-group: no-authentication
                target:
                  %s:
                    auth-group: no-authentication
                    portal-group: default
                    lun:
                      0:
                        backend: ramdisk
                        size: 512M
                        blocksize: 4096
                        options:
                          capacity: 512M
                """.formatted(TARGET);
        try (Daemon daemon = Daemon.start(test, config)) {
            InitiatorVm.GuestRun run = vm.run(daemon.portal(),
                    GuestConfig.of(TARGET).withWorkloads("setup", "discovery", "login", "inquiry", "raw", "ext4",
                            "logout"),
                    InitiatorVm.logDir("KernelInitiatorLunKindsTest.ramdisk4096"));
            assertPassed(run, "setup", "discovery", "login", "inquiry", "raw", "ext4", "logout");
            String inquiry = run.report().result("inquiry").orElseThrow().details();
            assertTrue(inquiry.contains("Logical block length=4096 bytes"), inquiry);
        }
    }

    @Test
    void xfsOnAFileLunReachesTheBackingFile(TestInfo test, @TempDir Path dir) throws IOException {
        InitiatorVm vm = InitiatorVm.prepare();
        Path image = dir.resolve("vm-disk.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(512L << 20); // sparse
        }
        String config = """
                portal-group:
                  default:
                    listen: 127.0.0.1:@PORT@
                    discovery-auth-group: no-authentication
                target:
                  %s:
                    auth-group: no-authentication
                    portal-group: default
                    lun:
                      0:
                        backend: block
                        path: %s
                        size: auto
                """.formatted(TARGET, image);
        try (Daemon daemon = Daemon.start(test, config)) {
            InitiatorVm.GuestRun run = vm.run(daemon.portal(),
                    GuestConfig.of(TARGET).withWorkloads("setup", "discovery", "login", "xfs", "logout"),
                    InitiatorVm.logDir("KernelInitiatorLunKindsTest.blockFile"));
            assertPassed(run, "setup", "discovery", "login", "xfs", "logout");
        }
        // the daemon has stopped (files closed): every payload file's first block is in the image
        Set<String> found = markedBlocks(image);
        assertEquals(Set.of("file0", "file1", "file2"), found, "payload files whose first block is in the image");
    }

    private static void assertPassed(InitiatorVm.GuestRun run, String... workloads) {
        assertTrue(run.report().done(), "the guest did not finish\n" + run.describe());
        for (String workload : workloads) {
            assertTrue(run.report().result(workload).map(GuestResult::passed).orElse(false),
                    workload + " did not pass\n" + run.describe());
        }
        assertTrue(run.process().ok(), "run-vm.sh reported a failure\n" + run.describe());
    }

    /** The names in the payload marker blocks ("JCTL-VM-PAYLOAD NAME\n" at a 4 KiB boundary) of an image. */
    private static Set<String> markedBlocks(Path image) throws IOException {
        byte[] marker = "JCTL-VM-PAYLOAD ".getBytes(StandardCharsets.US_ASCII);
        Set<String> names = new TreeSet<>();
        byte[] block = new byte[4096];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(image), 1 << 20)) {
            while (in.readNBytes(block, 0, block.length) == block.length) {
                if (Arrays.equals(block, 0, marker.length, marker, 0, marker.length)) {
                    int end = marker.length;
                    while (end < block.length && block[end] != '\n') end++;
                    names.add(new String(block, marker.length, end - marker.length, StandardCharsets.US_ASCII));
                }
            }
        }
        return names;
    }
}

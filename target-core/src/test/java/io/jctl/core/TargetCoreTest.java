package io.jctl.core;

import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunConfigException;
import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.MemBackend;
import io.jctl.core.testing.RecordingTransport;
import io.jctl.core.testing.Sense;
import io.jctl.core.testing.TestCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jctl.core.testing.TestCommands.READ10;
import static io.jctl.core.testing.TestCommands.TUR;
import static io.jctl.core.testing.TestCommands.cdb;
import static io.jctl.core.testing.TestCommands.cdb10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LUN administration and its unit attentions; the TargetView. */
class TargetCoreTest {
    private CoreHarness h;
    private Nexus a;

    @BeforeEach
    void setUp() {
        h = new CoreHarness();
        a = h.nexus("a");
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private LunConfig config(int id, String backend, long size, int blockSize, String serial, String devId,
                             Map<String, String> options) {
        return new LunConfig(id, LunType.DIRECT, backend, size, blockSize, serial, devId, options);
    }

    private String refusal(LunConfig cfg) {
        return assertThrows(LunConfigException.class, () -> h.core.createLun(cfg)).getMessage();
    }

    @Test
    void badProvisioningOptionsRefuseTheLunAndCloseItsStorage() {
        assertEquals("option unmap=on: this storage cannot deallocate blocks (read-only, or a file system or device"
                + " without hole punching / discard)",
                refusal(config(0, "mem", 1 << 20, 512, null, null, Map.of("unmap", "on"))));
        assertEquals("option unmap_max_lba: not a number: 'x'",
                refusal(config(0, "mem", 1 << 20, 512, null, null, Map.of("unmap_max_lba", "x"))));
        assertEquals(2, h.backend.opened.size());
        assertTrue(h.backend.opened.get(0).closed);
        assertTrue(h.backend.opened.get(1).closed);
    }

    @Test
    void lowestFreeIdAndCtlIdentityDefaults() throws Exception {
        h.disk(0);
        h.disk(2);
        Lun lun = h.core.createLun(config(-1, "mem", 1 << 20, 4096, null, null, Map.of()));
        assertEquals(1, lun.id());
        assertEquals("FREEBSD", lun.identity().vendor());
        assertEquals("CTLDISK", lun.identity().product());
        assertEquals("0001", lun.identity().revision());
        assertEquals("MYSERIAL0001", lun.identity().serial());
        assertEquals("MYDEVID0001", lun.identity().deviceId());
        assertEquals(4096, lun.storage().blockSize());
        assertEquals(List.of(0, 1, 2), h.core.luns().stream().map(Lun::id).toList());
        assertEquals("CTLPROCESSOR", h.lun(-1, LunType.PROCESSOR).identity().product());
        assertEquals("CTLCDROM", h.lun(-1, LunType.CDROM).identity().product());
    }

    @Test
    void identityFromOptionsAndConfig() throws Exception {
        Lun lun = h.core.createLun(config(5, "mem", 1 << 20, 512, "S1", "DEV-1",
                Map.of("vendor", "JCTL", "product", "RAMDISK", "revision", "0100")));
        assertEquals("JCTL", lun.identity().vendor());
        assertEquals("RAMDISK", lun.identity().product());
        assertEquals("0100", lun.identity().revision());
        assertEquals("S1", lun.identity().serial());
        assertEquals("DEV-1", lun.identity().deviceId());
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndChangeNothing() throws Exception {
        h.disk(0);
        assertEquals("LUN 0 already exists", refusal(config(0, "mem", 1 << 20, 512, null, null, Map.of())));
        assertEquals("LUN id 1024 is out of range 0..1023",
                refusal(config(1024, "mem", 1 << 20, 512, null, null, Map.of())));
        assertEquals("unknown backend 'tape' (known: mem)",
                refusal(config(-1, "tape", 1 << 20, 512, null, null, Map.of())));
        for (int bs : new int[] {0, 256, 1000, 131072}) {
            assertEquals("block size " + bs + " is not a power of two from 512 to 65536",
                    refusal(config(-1, "mem", 1 << 20, bs, null, null, Map.of())));
        }
        assertEquals("size 100 bytes is less than one 512-byte block",
                refusal(config(-1, "mem", 100, 512, null, null, Map.of())));
        assertEquals("vendor 'VENDOR123' is longer than 8 characters",
                refusal(config(-1, "mem", 1 << 20, 512, null, null, Map.of("vendor", "VENDOR123"))));
        assertEquals("product '0123456789abcdefg' is longer than 16 characters",
                refusal(config(-1, "mem", 1 << 20, 512, null, null, Map.of("product", "0123456789abcdefg"))));
        assertEquals("revision '12345' is longer than 4 characters",
                refusal(config(-1, "mem", 1 << 20, 512, null, null, Map.of("revision", "12345"))));
        assertEquals("serial number '0123456789abcdefg' is longer than 16 characters",
                refusal(config(-1, "mem", 1 << 20, 512, "0123456789abcdefg", null, Map.of())));
        assertTrue(refusal(config(-1, "mem", 1 << 20, 512, null, "d".repeat(65), Map.of()))
                .endsWith("is longer than 64 characters"));
        assertEquals("serseq must be on, soft, read or off, not 'maybe'",
                refusal(config(-1, "mem", 1 << 20, 512, null, null, Map.of("serseq", "maybe"))));
        assertEquals("disk on fire", refusal(config(-1, "mem", 1 << 20, 512, null, null, Map.of("fail", "disk on fire"))));
        assertEquals(1, h.core.luns().size());
        assertEquals(1, h.backend.opened.size(), "refused before storage was opened");
    }

    @Test
    void duplicateBackendNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> h.core.registerBackend(new MemBackend()));
        assertEquals(Set.of("mem"), h.core.backendNames());
    }

    @Test
    void newLunReportsPowerOnAndOthersReportLunsChanged() throws Exception {
        h.disk(0);
        h.clearUnitAttentions(a, 0);
        h.disk(1);
        assertEquals("6/29/01", Sense.code(h.run(a, 1, cdb(TUR)).sense()));
        assertEquals("6/3f/0e", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(a, 0, cdb(TUR)).status());
    }

    @Test
    void powerOnGoesOnlyToNexusesThatCanSeeTheNewLun() throws Exception {
        h.disk(0);
        h.port.setLunMap(Map.of(0, 0));
        h.disk(1);
        h.port.setLunMap(null);
        h.clearUnitAttentions(a, 0);
        assertEquals(ScsiStatus.GOOD, h.run(a, 1, cdb(TUR)).status());
    }

    @Test
    void reportingLunsChangedOnOneLunClearsItOnAll() throws Exception {
        h.disk(0);
        h.disk(1);
        h.clearUnitAttentions(a, 0);
        h.clearUnitAttentions(a, 1);
        h.disk(2);
        assertEquals("6/3f/0e", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(a, 1, cdb(TUR)).status(), "cleared on LUN 1 too");
    }

    @Test
    void removeLunAbortsItsTasksClosesStorageAndTellsTheOthers() throws Exception {
        h.disk(0);
        h.disk(1);
        h.clearUnitAttentions(a, 0);
        h.clearUnitAttentions(a, 1);
        ScsiTask running = h.submit(a, 1, cdb10(TestCommands.WRITE10, 0, 8));
        ScsiTask blocked = h.submit(a, 1, cdb10(READ10, 0, 8));
        Thread remover = new Thread(() -> {
            try {
                h.core.removeLun(1);
            } catch (LunConfigException e) {
                throw new AssertionError(e);
            }
        });
        remover.start();
        assertEquals(ScsiStatus.TASK_ABORTED, h.transport.await(blocked).status());
        h.commands.held.get(running.tag()).complete();
        remover.join(10_000);
        assertFalse(remover.isAlive());
        assertEquals(ScsiStatus.TASK_ABORTED, h.transport.await(running).status());
        assertTrue(h.backend.opened.get(1).closed);
        assertFalse(h.backend.opened.get(0).closed);
        assertEquals("5/25/00", Sense.code(h.run(a, 1, cdb(TUR)).sense()));
        assertEquals("6/3f/0e", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals("LUN 1 does not exist", assertThrows(LunConfigException.class,
                () -> h.core.removeLun(1)).getMessage());
        h.disk(1);
        assertEquals(1, h.core.lun(1).orElseThrow().id(), "the id is free again");
    }

    @Test
    void resizeRaisesCapacityDataHasChanged() throws Exception {
        Lun lun = h.disk(0);
        h.clearUnitAttentions(a, 0);
        h.core.resizeLun(0, 4 << 20);
        assertEquals(8192, lun.storage().blockCount());
        assertEquals("6/2a/09", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals("too big for mem",
                assertThrows(LunConfigException.class, () -> h.core.resizeLun(0, 1L << 60)).getMessage());
        assertEquals("size 10 bytes is less than one 512-byte block",
                assertThrows(LunConfigException.class, () -> h.core.resizeLun(0, 10)).getMessage());
        assertEquals("LUN 3 does not exist",
                assertThrows(LunConfigException.class, () -> h.core.resizeLun(3, 1 << 20)).getMessage());
    }

    @Test
    void visibleLunsFollowThePortLunMap() throws Exception {
        Lun l0 = h.disk(0);
        Lun l1 = h.disk(1);
        assertEquals(Map.of(0, l0, 1, l1), h.core.visibleLuns(h.port));
        h.port.setLunMap(Map.of(7, 1, 8, 42));
        assertEquals(Map.of(7, l1), h.core.visibleLuns(h.port));
        assertEquals(List.of(h.port), h.core.portsOf(l1));
        assertEquals(List.of(), h.core.portsOf(l0));
        h.clearUnitAttentions(a, 7);
        assertEquals(ScsiStatus.GOOD, h.run(a, 7, cdb(TUR)).status(), "port LUN 7 is core LUN 1");
        assertEquals("5/25/00", Sense.code(h.run(a, 0, cdb(TUR)).sense()), "LUN 0 is not mapped");
    }

    @Test
    void lunMapChangeTellsThatPortsNexuses() throws Exception {
        h.disk(0);
        h.clearUnitAttentions(a, 0);
        h.core.lunMapChanged(h.port);
        assertEquals("6/3f/0e", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
    }

    @Test
    void closeClosesStorage() throws Exception {
        h.disk(0);
        h.close();
        assertTrue(h.backend.opened.get(0).closed);
        assertEquals("target is shutting down", assertThrows(LunConfigException.class, () -> h.disk(1)).getMessage());
    }

    @Test
    void statsOfUnknownLunOrPortAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> h.core.lunStats(3));
        assertThrows(IllegalArgumentException.class, () -> h.core.portStats(77));
    }

    @Test
    void defaultConstructorRunsOnWorkerLanes() throws Exception {
        try (TargetCore core = new TargetCore(2)) {
            core.registerBackend(new MemBackend());
            var port = core.ports().create("iscsi", "iqn.x", 1, Map.of());
            Nexus n = new Nexus("n", "n,i,1", port.id());
            port.nexusLogin(n);
            core.createLun(config(0, "mem", 1 << 20, 512, null, null, Map.of()));
            RecordingTransport t = new RecordingTransport();
            ScsiTask rs = new ScsiTask(n, 0, 1, io.jctl.core.task.TaskAttribute.SIMPLE, cdb(0x03, 0, 0, 0, 18, 0),
                    18, io.jctl.core.task.DataDirection.IN, t);
            core.submit(rs);
            RecordingTransport.Completion c = t.await(rs);
            assertEquals(ScsiStatus.GOOD, c.status());
            assertEquals("6/29/01", Sense.code(c.data()), "REQUEST SENSE returns the POWER ON");
        }
    }
}

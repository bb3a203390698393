package io.jctl.core;

import io.jctl.core.cdb.StandardOpcodes;
import io.jctl.core.dispatch.InlineExecutor;
import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.testing.MemoryBackendLun;
import io.jctl.core.testing.RecordingTransport;
import io.jctl.core.testing.Sense;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static io.jctl.core.testing.Fixtures.cdb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SPC/SBC handlers behind the real dispatcher and opcode table: masks, precheck and unit attentions. */
class StandardCommandsThroughCoreTest {
    private final RecordingTransport transport = new RecordingTransport();
    private final AtomicLong tags = new AtomicLong(1);
    private TargetCore core;
    private Port port;
    private Nexus a;
    private Nexus b;

    @BeforeEach
    void setUp() throws Exception {
        core = new TargetCore(StandardOpcodes.table(), new InlineExecutor());
        core.registerBackend(new Backend() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public BackendLun open(LunSpec spec) {
                return new MemoryBackendLun(spec.sizeBytes() / spec.blockSize(), spec.blockSize());
            }
        });
        port = core.ports().create("iscsi", "iqn.2026-11.io.jctl:test", 1, Map.of());
        core.createLun(new LunConfig(0, LunType.DIRECT, "memory", 1 << 20, 512, null, null, Map.of()));
        a = new Nexus("iqn.2026-11.test:a", "iqn.2026-11.test:a,i,0x1", port.id());
        b = new Nexus("iqn.2026-11.test:b", "iqn.2026-11.test:b,i,0x1", port.id());
        clearUnitAttentions(a);
        clearUnitAttentions(b);
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    private ScsiTask submit(Nexus n, int lun, byte[] cdb, DataDirection dir) {
        ScsiTask t = new ScsiTask(n, LunAddress.encode(lun), tags.getAndIncrement(), TaskAttribute.SIMPLE, cdb,
                1 << 20, dir, transport);
        core.submit(t);
        return t;
    }

    private RecordingTransport.Completion run(Nexus n, byte[] cdb) throws InterruptedException {
        return transport.await(submit(n, 0, cdb, DataDirection.IN));
    }

    private RecordingTransport.Completion runWithData(Nexus n, byte[] cdb, byte[] data) throws InterruptedException {
        ScsiTask t = submit(n, 0, cdb, DataDirection.OUT);
        if (!transport.byTask.containsKey(t)) {
            transport.receives.get(t).complete(Unpooled.wrappedBuffer(data));
        }
        return transport.await(t);
    }

    private void clearUnitAttentions(Nexus n) throws InterruptedException {
        for (int i = 0; i < 16; i++) {
            if (run(n, cdb(0, 0, 0, 0, 0, 0)).status() == ScsiStatus.GOOD) {
                return;
            }
        }
        throw new AssertionError("unit attentions do not clear");
    }

    @Test
    void writeThenRead() throws Exception {
        byte[] data = new byte[4 * 512];
        new Random(3).nextBytes(data);
        assertEquals(ScsiStatus.GOOD, runWithData(a, cdb(0x2a, 0, 0, 0, 0, 8, 0, 0, 4, 0), data).status());
        RecordingTransport.Completion r = run(b, cdb(0x88, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 4, 0, 0));
        assertEquals(ScsiStatus.GOOD, r.status());
        assertArrayEquals(data, r.data());
    }

    @Test
    void protectionBitsAreRefusedByTheMask() throws Exception {
        RecordingTransport.Completion c = run(a, cdb(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0));
        assertEquals("5/24/00", Sense.code(c.sense()));
        assertEquals(0xcd0001, Sense.sks(c.sense()), "CDB byte 1 bit 5");
    }

    @Test
    void modeSelectRaisesModeParametersChangedForOthersAndSwpProtects() throws Exception {
        RecordingTransport.Completion sense = run(a, cdb(0x1a, 0x08, 0x0a, 0, 255, 0));
        byte[] page = Arrays.copyOfRange(sense.data(), 4, sense.data().length);
        page[0] &= 0x7f;
        page[4] |= 0x08; // SWP
        byte[] list = new byte[4 + page.length];
        System.arraycopy(page, 0, list, 4, page.length);
        assertEquals(ScsiStatus.GOOD, runWithData(a, cdb(0x15, 0x10, 0, 0, list.length, 0), list).status());

        assertEquals("6/2a/01", Sense.code(run(b, cdb(0, 0, 0, 0, 0, 0)).sense()));
        assertEquals(ScsiStatus.GOOD, run(a, cdb(0, 0, 0, 0, 0, 0)).status(), "no UA for the changer");
        RecordingTransport.Completion w = runWithData(a, cdb(0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0), new byte[512]);
        assertEquals("7/27/02", Sense.code(w.sense()));
        assertEquals((byte) 0x90, run(a, cdb(0x1a, 0, 0x3f, 0, 255, 0)).data()[2], "WP and DPOFUA");
    }

    @Test
    void inquiryOfAMissingLun() throws Exception {
        RecordingTransport.Completion c = transport.await(submit(a, 7, cdb(0x12, 0, 0, 0, 96, 0), DataDirection.IN));
        assertEquals(ScsiStatus.GOOD, c.status());
        assertEquals(0x7f, c.data()[0] & 0xff);
    }

    @Test
    void resizeShowsInReadCapacityAndModeSense() throws Exception {
        core.resizeLun(0, 2 << 20);
        clearUnitAttentions(a);
        RecordingTransport.Completion cap = run(a, cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertArrayEquals(cdb(0, 0, 0x0f, 0xff, 0, 0, 2, 0), cap.data());
        byte[] ms = run(a, cdb(0x1a, 0, 0x03, 0, 255, 0)).data();
        assertArrayEquals(cdb(0, 0, 0x10, 0), Arrays.copyOfRange(ms, 4, 8));
    }
}

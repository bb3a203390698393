package io.jctl.iscsi;

import io.jctl.backend.ramdisk.RamdiskBackend;
import io.jctl.core.TargetCore;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.testing.SocketInitiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frontend wired to the real core and a RAM disk, driven over a loopback socket. */
class RealCoreTest {
    private static final String TARGET = "iqn.2026-11.io.jctl:target0";

    private final TargetCore core = new TargetCore(2);
    private IscsiFrontend frontend;

    @AfterEach
    void close() {
        if (frontend != null) {
            frontend.close();
        }
        core.close();
    }

    private InetSocketAddress start() throws Exception {
        core.registerBackend(new RamdiskBackend());
        core.createLun(new LunConfig(0, LunType.DIRECT, "ramdisk", 16 << 20, 512, null, null,
                Map.of("capacity", Integer.toString(16 << 20))));
        Port port = core.ports().create("iscsi", TARGET, 1, Map.of());
        PortalGroup pg = new PortalGroup("pg0", 1, List.of(new InetSocketAddress("127.0.0.1", 0)),
                AuthGroup.noAuthentication());
        frontend = new IscsiFrontend(core, IscsiSettings.defaults());
        frontend.setTargets(List.of(new IscsiTarget(TARGET, null, AuthGroup.noAuthentication(),
                List.of(new TargetPortal(pg, port)))));
        frontend.listen(pg);
        return frontend.boundAddresses().get(0);
    }

    /** Sends a command and collects Data-In until the status; returns {status, data}. */
    private static Object[] run(SocketInitiator c, byte[] cdb, int expected, boolean read, boolean write,
                                byte[] immediate) throws Exception {
        int itt = c.nextItt();
        c.send(c.command(itt, cdb, expected, read, write), immediate);
        byte[] data = new byte[0];
        while (true) {
            SocketInitiator.In in = c.receive();
            assertEquals(itt, in.bhs().itt());
            if (in.opcode() == Opcode.R2T) {
                int offset = in.bhs().u32(40);
                int length = in.bhs().u32(44);
                Bhs out = Bhs.create(Opcode.DATA_OUT).flags(0x80).itt(itt).u32(20, in.bhs().u32(20))
                        .u32(28, c.expStatSn).u32(36, 0).u32(40, offset);
                c.send(out, Arrays.copyOfRange(immediate.length > 0 ? immediate : new byte[offset + length], offset,
                        offset + length));
                continue;
            }
            if (in.opcode() == Opcode.DATA_IN) {
                byte[] d = Arrays.copyOf(data, data.length + in.data().length);
                System.arraycopy(in.data(), 0, d, data.length, in.data().length);
                data = d;
                if ((in.bhs().flags() & 1) != 0) {
                    return new Object[]{in.bhs().u8(3), data};
                }
                continue;
            }
            assertEquals(Opcode.SCSI_RESPONSE, in.opcode());
            return new Object[]{in.bhs().u8(3), data};
        }
    }

    @Test
    void loginWriteReadLogout() throws Exception {
        InetSocketAddress at = start();
        try (SocketInitiator c = new SocketInitiator(at)) {
            assertEquals(0, c.login(0x77, "InitiatorName", "iqn.2026-11.io.jctl:real", "TargetName", TARGET,
                    "ImmediateData", "No", "MaxRecvDataSegmentLength", "8192").bhs().u16(36));
            // A pending unit attention (if the core reports one) is consumed by the first TEST UNIT READY.
            int status = (int) run(c, new byte[6], 0, false, false, new byte[0])[0];
            assertTrue(status == 0x00 || status == 0x02);
            assertEquals(0x00, run(c, new byte[6], 0, false, false, new byte[0])[0]);
            byte[] data = new byte[64 * 1024];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7 + 1);
            }
            // With ImmediateData=No the whole write comes through R2Ts.
            byte[] write = {0x2a, 0, 0, 0, 0, 8, 0, 0, (byte) 128, 0};
            c.send(c.command(c.nextItt(), write, data.length, false, true), new byte[0]);
            int sent = 0;
            while (true) {
                SocketInitiator.In in = c.receive();
                if (in.opcode() == Opcode.SCSI_RESPONSE) {
                    assertEquals(0, in.bhs().u8(3));
                    break;
                }
                assertEquals(Opcode.R2T, in.opcode());
                int offset = in.bhs().u32(40);
                int length = in.bhs().u32(44);
                int dataSn = 0;
                for (int pos = offset; pos < offset + length; pos += 8192) {
                    int n = Math.min(8192, offset + length - pos);
                    Bhs out = Bhs.create(Opcode.DATA_OUT).flags(pos + n == offset + length ? 0x80 : 0)
                            .itt(in.bhs().itt()).u32(20, in.bhs().u32(20)).u32(28, c.expStatSn)
                            .u32(36, dataSn++).u32(40, pos);
                    c.send(out, Arrays.copyOfRange(data, pos, pos + n));
                    sent += n;
                }
            }
            assertEquals(data.length, sent);
            byte[] read = {0x28, 0, 0, 0, 0, 8, 0, 0, (byte) 128, 0};
            Object[] r = run(c, read, data.length, true, false, new byte[0]);
            assertEquals(0, r[0]);
            assertArrayEquals(data, (byte[]) r[1]);

            c.send(c.immediate(Opcode.LOGOUT_REQUEST, c.nextItt()), new byte[0]);
            assertEquals(Opcode.LOGOUT_RESPONSE, c.receive().opcode());
            assertTrue(c.closedByTarget());
        }
    }
}

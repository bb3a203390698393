package io.jctl.core.testing;

import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunIdentity;
import io.jctl.core.lun.LunType;
import io.jctl.core.mode.ModePages;
import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.core.sbc.SbcCommands;
import io.jctl.core.spc.SpcCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** LUNs, a port and a target view wired the way the engine wires them, for handler tests. */
public final class Fixtures {
    public final MemoryBackendLun storage;
    public final Lun lun;
    public final Port port;
    public final FakeTarget target;
    /** The LUN's engine state every command of this fixture shares. */
    public final LunContext context;

    public Fixtures(LunType type, long blocks, int blockSize, Map<String, String> options) {
        storage = new MemoryBackendLun(blocks, blockSize);
        LunIdentity id = new LunIdentity("FREEBSD", type == LunType.DIRECT ? "CTLDISK" : "CTLPROCESSOR", "0001",
                "MYSERIAL0000", "MYDEVID0000");
        lun = new Lun(0, type, "ramdisk", storage, id, options,
                ModePages.forLun(type, options, blockSize, blocks));
        port = new PortRegistry().create("iscsi", "iqn.2026-11.io.jctl:target0", 1, Map.of());
        List<io.jctl.core.cdb.OpcodeEntry> rows = new ArrayList<>(SpcCommands.entries());
        rows.addAll(SbcCommands.entries());
        target = new FakeTarget(new OpcodeTable(rows), List.of(port));
        context = new LunContext(lun);
    }

    public static Fixtures disk(long blocks) {
        return new Fixtures(LunType.DIRECT, blocks, 512, Map.of());
    }

    public FakeCommand command(byte[] cdb) {
        return new FakeCommand(cdb, lun, port, target, null).withContext(context);
    }

    public FakeCommand command(byte[] cdb, byte[] dataOut) {
        return new FakeCommand(cdb, lun, port, target, dataOut).withContext(context);
    }

    /** Builds a CDB from int values. */
    public static byte[] cdb(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }
}

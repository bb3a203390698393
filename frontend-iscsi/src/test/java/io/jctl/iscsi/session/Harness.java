package io.jctl.iscsi.session;

import io.jctl.core.ScsiService;
import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;
import io.jctl.iscsi.TargetPortal;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.DigestSettings;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.pdu.PduDecoder;
import io.jctl.iscsi.pdu.PduEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** One connection on an EmbeddedChannel, driven PDU by PDU as an initiator would. */
final class Harness implements AutoCloseable {
    static final String TARGET = "iqn.2026-11.io.jctl:target0";
    static final String INITIATOR = "iqn.2026-11.io.jctl:init";

    final ScsiService core;
    final IscsiSettings settings;
    final Port port = new PortRegistry().create("iscsi", TARGET, 1, Map.of());
    final PortalGroup pg = new PortalGroup("pg0", 1, List.of(new InetSocketAddress("127.0.0.1", 3260)),
            AuthGroup.noAuthentication());
    final List<Connection> registered = new CopyOnWriteArrayList<>();
    /** What the registry offers; tests may add targets. */
    final List<IscsiTarget> targets = new CopyOnWriteArrayList<>();
    final EmbeddedChannel ch;
    /** The target's output as PDUs, decoded from the bytes it wrote. */
    final EmbeddedChannel wire;
    final Connection conn;
    int cmdSn = 1;
    int expStatSn;

    Harness(ScsiService core, IscsiSettings settings) {
        this.core = core;
        this.settings = settings;
        targets.add(new IscsiTarget(TARGET, null, AuthGroup.noAuthentication(), List.of(new TargetPortal(pg, port))));
        SessionRegistry registry = new SessionRegistry() {
            @Override
            public ScsiService core() {
                return core;
            }

            @Override
            public IscsiSettings settings() {
                return settings;
            }

            @Override
            public List<IscsiTarget> targets() {
                return targets;
            }

            @Override
            public int allocateTsih() {
                return 9;
            }

            @Override
            public long allocateSessionId() {
                return 1;
            }

            @Override
            public CompletableFuture<Void> register(Connection connection) {
                registered.add(connection);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void unregister(Connection connection) {
                registered.remove(connection);
            }
        };
        DigestSettings digests = new DigestSettings(settings.maxRecvDataSegmentLength());
        conn = new Connection(registry, pg, digests, g -> g.listen());
        // What the target writes is framed by the real encoder and parsed back into PDUs as it is written (with the
        // digest settings of that moment, which login changes), as an initiator would see it.
        DigestSettings wireDigests = new DigestSettings(1 << 24);
        wire = new EmbeddedChannel(new PduDecoder(wireDigests));
        ChannelOutboundHandlerAdapter tap = new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                wireDigests.enable(digests.headerDigest(), digests.dataDigest());
                wire.writeInbound(msg);
                promise.trySuccess();
            }
        };
        ch = new EmbeddedChannel(tap, new PduEncoder(digests), conn) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
    }

    /** Logs in straight to full feature phase with these operational keys (name, value, ...). */
    Harness login(String... kv) {
        List<String> all = new ArrayList<>(List.of("InitiatorName", INITIATOR, "TargetName", TARGET));
        all.addAll(List.of(kv));
        Bhs bhs = Bhs.create(Opcode.LOGIN_REQUEST);
        bhs.bytes()[0] |= 0x40;
        bhs.flags(0x80 | (1 << 2) | 3).u48(8, 0x23d000000001L).itt(0x99).u32(24, cmdSn);
        ch.writeInbound(Pdu.of(bhs, text(all.toArray(String[]::new))));
        Pdu rsp = next();
        assertEquals(Opcode.LOGIN_RESPONSE, rsp.opcode());
        assertEquals(0, rsp.bhs().u16(36), "login status");
        assertEquals(0x87, rsp.bhs().flags());
        expStatSn = rsp.bhs().u32(24) + 1;
        rsp.release();
        return this;
    }

    static ByteBuf text(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(kv[i]).append('=').append(kv[i + 1]).append('\0');
        }
        return Unpooled.copiedBuffer(sb.toString(), StandardCharsets.UTF_8);
    }

    /** The next PDU the target sent; the caller releases it. */
    Pdu next() {
        Pdu pdu = poll();
        assertNotNull(pdu, "expected a PDU from the target");
        return pdu;
    }

    Pdu poll() {
        ch.runPendingTasks();
        return wire.readInbound();
    }

    void send(Pdu pdu) {
        ch.writeInbound(pdu);
    }

    /** A SCSI Command PDU, numbered with the next CmdSN. */
    Pdu command(int itt, byte[] cdb, int expected, boolean read, boolean write, boolean fin, ByteBuf immediate) {
        Bhs bhs = Bhs.create(Opcode.SCSI_COMMAND);
        bhs.flags((fin ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | 1);
        bhs.itt(itt).u32(20, expected).u32(24, cmdSn++).u32(28, expStatSn);
        System.arraycopy(cdb, 0, bhs.bytes(), 32, cdb.length);
        return Pdu.of(bhs, immediate);
    }

    Pdu dataOut(int itt, int ttt, int dataSn, int offset, boolean fin, ByteBuf data) {
        Bhs bhs = Bhs.create(Opcode.DATA_OUT).flags(fin ? 0x80 : 0).itt(itt);
        bhs.u32(20, ttt).u32(28, expStatSn).u32(36, dataSn).u32(40, offset);
        return Pdu.of(bhs, data);
    }

    static byte[] read10(long lba, int blocks) {
        return new byte[]{0x28, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                (byte) (blocks >>> 8), (byte) blocks, 0};
    }

    static byte[] write10(long lba, int blocks) {
        byte[] cdb = read10(lba, blocks);
        cdb[0] = 0x2a;
        return cdb;
    }

    static ByteBuf pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return Unpooled.wrappedBuffer(b);
    }

    @Override
    public void close() {
        ch.finishAndReleaseAll();
        wire.finishAndReleaseAll();
    }
}

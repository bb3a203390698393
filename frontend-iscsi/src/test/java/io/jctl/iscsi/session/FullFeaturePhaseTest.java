package io.jctl.iscsi.session;

import io.jctl.core.task.TmfFunction;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.FramingError;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.pdu.TextKeys;
import io.jctl.iscsi.testing.FakeScsiService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullFeaturePhaseTest {
    private static final int BLOCK = FakeScsiService.BLOCK;

    private final FakeScsiService core = new FakeScsiService(1024);
    private final IscsiSettings settings = new IscsiSettings(262144, 1048576, 65536, 16, Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofSeconds(5));
    private final Harness h = new Harness(core, settings);

    @AfterEach
    void close() {
        h.close();
    }

    private static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b);
    }

    @Test
    void writeWithImmediateUnsolicitedAndSolicitedData() {
        h.login("InitialR2T", "No", "ImmediateData", "Yes", "FirstBurstLength", "8192", "MaxBurstLength", "16384",
                "MaxRecvDataSegmentLength", "4096");
        ByteBuf data = Harness.pattern(40 * BLOCK, 3);
        byte[] expected = bytes(data);
        h.send(h.command(0x10, Harness.write10(8, 40), 40 * BLOCK, false, true, false, data.retainedSlice(0, 4096)));
        assertNull(h.poll(), "waits for the unsolicited burst");
        h.send(h.dataOut(0x10, Bhs.RESERVED_TAG, 0, 4096, true, data.retainedSlice(4096, 4096)));
        Pdu r2t = h.next();
        assertEquals(Opcode.R2T, r2t.opcode());
        assertEquals(0x10, r2t.bhs().itt());
        assertEquals(0, r2t.bhs().u32(36), "R2TSN");
        assertEquals(8192, r2t.bhs().u32(40), "BufferOffset");
        assertEquals(12288, r2t.bhs().u32(44), "DesiredDataTransferLength");
        assertEquals(h.expStatSn, r2t.bhs().u32(24), "R2T carries the next StatSN without using it");
        int ttt = r2t.bhs().u32(20);
        r2t.release();
        for (int i = 0; i < 3; i++) {
            assertNull(h.poll());
            h.send(h.dataOut(0x10, ttt, i, 8192 + i * 4096, i == 2, data.retainedSlice(8192 + i * 4096, 4096)));
        }
        Pdu rsp = h.next();
        assertEquals(Opcode.SCSI_RESPONSE, rsp.opcode());
        assertEquals(0x80, rsp.bhs().flags(), "no residual");
        assertEquals(0, rsp.bhs().u8(3));
        assertEquals(h.expStatSn, rsp.bhs().u32(24));
        assertEquals(1, rsp.bhs().u32(36), "ExpDataSN counts R2Ts");
        rsp.release();
        data.release();
        assertArrayEquals(expected, Arrays.copyOfRange(core.disk(), 8 * BLOCK, 48 * BLOCK));
    }

    @Test
    void writeSplitAcrossSeveralR2tsByMaxBurst() {
        h.login("InitialR2T", "Yes", "ImmediateData", "No", "MaxBurstLength", "4096", "FirstBurstLength", "4096");
        ByteBuf data = Harness.pattern(24 * BLOCK, 9);
        byte[] expected = bytes(data);
        h.send(h.command(0x11, Harness.write10(0, 24), 24 * BLOCK, false, true, true, null));
        int offset = 0;
        for (int burst = 0; burst < 3; burst++) {
            Pdu r2t = h.next();
            assertEquals(Opcode.R2T, r2t.opcode());
            assertEquals(burst, r2t.bhs().u32(36));
            assertEquals(offset, r2t.bhs().u32(40));
            assertEquals(4096, r2t.bhs().u32(44));
            int ttt = r2t.bhs().u32(20);
            r2t.release();
            assertNull(h.poll(), "MaxOutstandingR2T is 1");
            h.send(h.dataOut(0x11, ttt, 0, offset, false, data.retainedSlice(offset, 2048)));
            h.send(h.dataOut(0x11, ttt, 1, offset + 2048, true, data.retainedSlice(offset + 2048, 2048)));
            offset += 4096;
        }
        Pdu rsp = h.next();
        assertEquals(Opcode.SCSI_RESPONSE, rsp.opcode());
        rsp.release();
        data.release();
        assertArrayEquals(expected, Arrays.copyOfRange(core.disk(), 0, 24 * BLOCK));
    }

    @Test
    void readIsChunkedWithStatusInTheLastDataIn() {
        h.login("MaxRecvDataSegmentLength", "4096");
        byte[] content = bytes(Harness.pattern(20 * BLOCK, 5));
        System.arraycopy(content, 0, core.disk(), 100 * BLOCK, content.length);
        h.send(h.command(0x20, Harness.read10(100, 20), 20 * BLOCK, true, false, true, null));
        ByteBuf got = Unpooled.buffer();
        int[] sizes = {4096, 4096, 2048};
        for (int i = 0; i < sizes.length; i++) {
            Pdu in = h.next();
            assertEquals(Opcode.DATA_IN, in.opcode());
            assertEquals(i, in.bhs().u32(36), "DataSN");
            assertEquals(got.readableBytes(), in.bhs().u32(40), "BufferOffset");
            assertEquals(sizes[i], in.data().readableBytes());
            boolean last = i == sizes.length - 1;
            assertEquals(last ? 0x81 : 0x00, in.bhs().flags(), "F and S only on the last");
            assertEquals(last ? h.expStatSn : 0, in.bhs().u32(24));
            got.writeBytes(in.data());
            in.release();
        }
        assertNull(h.poll(), "no separate SCSI Response");
        assertArrayEquals(content, bytes(got));
        got.release();
    }

    @Test
    void readCompletedInOneBufferIsSlicedIntoDataIns() {
        h.login("MaxRecvDataSegmentLength", "4096");
        byte[] content = bytes(Harness.pattern(20 * BLOCK, 9));
        System.arraycopy(content, 0, core.disk(), 40 * BLOCK, content.length);
        for (int blocks : new int[] {20, 8, 3}) {
            h.send(h.command(0x20, read16(40, blocks), blocks * BLOCK, true, false, true, null));
            ByteBuf got = Unpooled.buffer();
            int dataSn = 0;
            while (true) {
                Pdu in = h.next();
                assertEquals(Opcode.DATA_IN, in.opcode());
                assertEquals(dataSn++, in.bhs().u32(36), "DataSN");
                assertEquals(got.readableBytes(), in.bhs().u32(40), "BufferOffset");
                assertTrue(in.data().readableBytes() <= 4096);
                got.writeBytes(in.data());
                boolean last = (in.bhs().flags() & 0x01) != 0;
                in.release();
                if (last) {
                    break;
                }
            }
            assertEquals((blocks * BLOCK + 4095) / 4096, dataSn, "PDUs for " + blocks + " blocks");
            assertArrayEquals(Arrays.copyOf(content, blocks * BLOCK), bytes(got));
            got.release();
        }
        assertNull(h.poll());
    }

    private static byte[] read16(long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x88;
        for (int i = 0; i < 8; i++) {
            cdb[2 + i] = (byte) (lba >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            cdb[10 + i] = (byte) (blocks >>> (24 - 8 * i));
        }
        return cdb;
    }

    @Test
    void residualOverflowAndUnderflow() {
        h.login();
        // The CDB wants 8 blocks, the initiator expects 2048 bytes: overflow, only 2048 bytes sent.
        h.send(h.command(0x30, Harness.read10(0, 8), 2048, true, false, true, null));
        Pdu in = h.next();
        assertEquals(Opcode.DATA_IN, in.opcode());
        assertEquals(2048, in.data().readableBytes());
        assertEquals(0x80 | 0x04 | 0x01, in.bhs().flags());
        assertEquals(2048, in.bhs().u32(44));
        in.release();
        // The CDB wants 2 blocks, the initiator expects 4096: underflow of 3072.
        h.send(h.command(0x31, Harness.read10(0, 2), 4096, true, false, true, null));
        in = h.next();
        assertEquals(1024, in.data().readableBytes());
        assertEquals(0x80 | 0x02 | 0x01, in.bhs().flags());
        assertEquals(3072, in.bhs().u32(44));
        in.release();
        // A write whose CDB moves less than the initiator sends: the extra is absorbed, underflow reported.
        h.send(h.command(0x32, Harness.write10(0, 1), 2 * BLOCK, false, true, true, Harness.pattern(2 * BLOCK, 1)));
        Pdu rsp = h.next();
        assertEquals(Opcode.SCSI_RESPONSE, rsp.opcode());
        assertEquals(0x80 | 0x02, rsp.bhs().flags());
        assertEquals(BLOCK, rsp.bhs().u32(44));
        rsp.release();
        // A write whose CDB wants more than the initiator announced: overflow, only what was announced is read.
        h.send(h.command(0x33, Harness.write10(0, 2), BLOCK, false, true, true, Harness.pattern(BLOCK, 1)));
        rsp = h.next();
        assertEquals(0x80 | 0x04, rsp.bhs().flags());
        assertEquals(BLOCK, rsp.bhs().u32(44));
        rsp.release();
    }

    @Test
    void checkConditionCarriesSense() {
        h.login();
        h.send(h.command(0x40, Harness.read10(5000, 1), BLOCK, true, false, true, null));
        Pdu rsp = h.next();
        assertEquals(Opcode.SCSI_RESPONSE, rsp.opcode());
        assertEquals(0x02, rsp.bhs().u8(3));
        assertEquals(18, rsp.data().getUnsignedShort(0));
        assertEquals(0x70, rsp.data().getUnsignedByte(2));
        assertEquals(0x21, rsp.data().getUnsignedByte(2 + 12));
        rsp.release();
    }

    @Test
    void cmdSnWindow() {
        h.login();
        Pdu tur = h.command(0x50, new byte[6], 0, false, false, true, null);
        tur.bhs().u32(24, h.cmdSn + 100);
        h.cmdSn--;
        h.send(tur);
        assertNull(h.poll(), "CmdSN beyond MaxCmdSN is ignored");
        Pdu low = h.command(0x51, new byte[6], 0, false, false, true, null);
        low.bhs().u32(24, h.cmdSn - 5);
        h.cmdSn--;
        h.send(low);
        assertNull(h.poll(), "CmdSN below ExpCmdSN is ignored");
        assertEquals(0, core.submitted.size());
        h.send(h.command(0x52, new byte[6], 0, false, false, true, null));
        Pdu rsp = h.next();
        assertEquals(h.cmdSn, rsp.bhs().u32(28), "ExpCmdSN");
        assertEquals(h.cmdSn + settings.maxCmdWindow() - 1, rsp.bhs().u32(32), "MaxCmdSN");
        rsp.release();
        // Immediate commands do not consume a CmdSN.
        Pdu imm = h.command(0x53, new byte[6], 0, false, false, true, null);
        imm.bhs().bytes()[0] |= 0x40;
        h.cmdSn--;
        h.send(imm);
        rsp = h.next();
        assertEquals(h.cmdSn, rsp.bhs().u32(28));
        rsp.release();
        // A gap inside the window means a lost command: the session ends.
        Pdu gap = h.command(0x54, new byte[6], 0, false, false, true, null);
        gap.bhs().u32(24, h.cmdSn + 3);
        h.send(gap);
        assertFalse(h.ch.isOpen());
        assertEquals(1, core.lost.size());
    }

    @Test
    void maxCmdSnShrinksWithOutstandingCommands() {
        h.login();
        byte[] held = Harness.read10(0, 1);
        held[1] = (byte) 0xEE;
        for (int i = 0; i < 3; i++) {
            h.send(h.command(0x60 + i, held, BLOCK, true, false, true, null));
        }
        h.send(h.command(0x70, new byte[6], 0, false, false, true, null));
        Pdu rsp = h.next();
        // ExpCmdSN = 1 + 4; three commands still occupy the window.
        assertEquals(5, rsp.bhs().u32(28));
        assertEquals(5 + settings.maxCmdWindow() - 3 - 1, rsp.bhs().u32(32));
        rsp.release();
        // Finishing one of them does not pull MaxCmdSN back below what was advertised.
        core.releaseHeld(0x60);
        rsp = h.next();
        assertEquals(5 + settings.maxCmdWindow() - 2 - 1, rsp.bhs().u32(32));
        rsp.release();
    }

    private Pdu tmf(int function, int itt, int refItt, int refCmdSn) {
        Bhs bhs = Bhs.create(Opcode.TASK_MGMT_REQUEST).flags(0x80 | function).itt(itt);
        bhs.bytes()[0] |= 0x40;
        bhs.u32(20, refItt).u32(24, h.cmdSn).u32(28, h.expStatSn).u32(32, refCmdSn);
        return Pdu.of(bhs);
    }

    @Test
    void taskManagement() {
        h.login();
        byte[] held = Harness.read10(0, 1);
        held[1] = (byte) 0xEE;
        int heldCmdSn = h.cmdSn;
        h.send(h.command(0x80, held, BLOCK, true, false, true, null));
        h.send(tmf(9, 0x81, 0x80, heldCmdSn));
        Pdu rsp = h.next();
        assertEquals(Opcode.TASK_MGMT_RESPONSE, rsp.opcode());
        assertEquals(7, rsp.bhs().u8(2), "QUERY TASK: function succeeded");
        rsp.release();
        h.send(tmf(1, 0x82, 0x80, heldCmdSn));
        rsp = h.next();
        assertEquals(0, rsp.bhs().u8(2), "ABORT TASK: function complete");
        assertEquals(0x82, rsp.bhs().itt());
        rsp.release();
        assertNull(h.poll(), "no response for the aborted command");
        assertEquals(TmfFunction.ABORT_TASK, core.tmfs.get(core.tmfs.size() - 1).function());
        assertEquals(0x80, core.tmfs.get(core.tmfs.size() - 1).referencedTag());
        // The aborted task is gone: aborting it again says so.
        h.send(tmf(1, 0x83, 0x80, heldCmdSn));
        rsp = h.next();
        assertEquals(1, rsp.bhs().u8(2), "task does not exist");
        rsp.release();
        h.send(tmf(5, 0x84, 0, 0));
        rsp = h.next();
        assertEquals(0, rsp.bhs().u8(2));
        rsp.release();
        assertEquals(TmfFunction.LOGICAL_UNIT_RESET, core.tmfs.get(core.tmfs.size() - 1).function());
        h.send(tmf(12, 0x88, 0, 0));
        rsp = h.next();
        assertEquals(7, rsp.bhs().u8(2), "QUERY ASYNC EVENT: a UA is pending");
        assertEquals(0x062900, rsp.bhs().u24(8), "sense key, ASC, ASCQ of the pending UA");
        rsp.release();
        h.send(tmf(8, 0x85, 0, 0));
        rsp = h.next();
        assertEquals(5, rsp.bhs().u8(2), "TASK REASSIGN not supported");
        rsp.release();
        h.send(tmf(3, 0x86, 0, 0));
        rsp = h.next();
        assertEquals(5, rsp.bhs().u8(2), "CLEAR ACA not supported");
        rsp.release();
        h.send(tmf(7, 0x87, 0, 0));
        rsp = h.next();
        assertEquals(0, rsp.bhs().u8(2));
        assertEquals(TmfFunction.TARGET_RESET, core.tmfs.get(core.tmfs.size() - 1).function());
        rsp.release();
        assertFalse(h.ch.isOpen(), "target cold reset closes the connection");
    }

    @Test
    void nopOutIsEchoedAndIdleSessionsArePinged() {
        h.ch.freezeTime();
        h.login();
        Bhs nop = Bhs.create(Opcode.NOP_OUT).flags(0x80).itt(0x90).u32(20, Bhs.RESERVED_TAG).u32(24, h.cmdSn);
        nop.bytes()[0] |= 0x40;
        h.send(Pdu.of(nop, Unpooled.copiedBuffer(new byte[]{1, 2, 3})));
        Pdu in = h.next();
        assertEquals(Opcode.NOP_IN, in.opcode());
        assertEquals(0x90, in.bhs().itt());
        assertEquals(Bhs.RESERVED_TAG, in.bhs().u32(20));
        assertArrayEquals(new byte[]{1, 2, 3}, bytes(in.data()));
        in.release();

        h.ch.advanceTimeBy(5, TimeUnit.SECONDS);
        assertNull(h.poll(), "traffic in the last interval: no ping yet");
        h.ch.advanceTimeBy(5, TimeUnit.SECONDS);
        Pdu ping = h.next();
        assertEquals(Opcode.NOP_IN, ping.opcode());
        assertEquals(Bhs.RESERVED_TAG, ping.bhs().itt());
        int ttt = ping.bhs().u32(20);
        assertTrue(ttt != Bhs.RESERVED_TAG);
        ping.release();
        Bhs answer = Bhs.create(Opcode.NOP_OUT).flags(0x80).itt(Bhs.RESERVED_TAG).u32(20, ttt).u32(24, h.cmdSn);
        answer.bytes()[0] |= 0x40;
        h.send(Pdu.of(answer));
        assertNull(h.poll(), "a ping answer gets no response");
        h.ch.advanceTimeBy(5, TimeUnit.SECONDS);
        assertNull(h.poll(), "the answer counts as traffic");
        h.ch.advanceTimeBy(5, TimeUnit.SECONDS);
        assertTrue(h.ch.isOpen());
        ping = h.next();
        ping.release();
        h.ch.advanceTimeBy(5, TimeUnit.SECONDS);
        h.ch.runPendingTasks();
        assertFalse(h.ch.isOpen(), "unanswered ping drops the session");
        assertEquals(1, core.lost.size());
    }

    @Test
    void logoutClosesSession() {
        h.login();
        assertEquals(1, h.port.nexuses().size());
        Bhs logout = Bhs.create(Opcode.LOGOUT_REQUEST).flags(0x80).itt(0xa0).u32(24, h.cmdSn);
        logout.bytes()[0] |= 0x40;
        h.send(Pdu.of(logout));
        Pdu rsp = h.next();
        assertEquals(Opcode.LOGOUT_RESPONSE, rsp.opcode());
        assertEquals(0, rsp.bhs().u8(2));
        assertEquals(0xa0, rsp.bhs().itt());
        rsp.release();
        assertFalse(h.ch.isOpen());
        assertEquals(1, core.lost.size());
        assertEquals(0, h.port.nexuses().size());
        assertTrue(h.registered.isEmpty());
    }

    @Test
    void logoutOfAnotherConnectionIsRefused() {
        h.login();
        Bhs logout = Bhs.create(Opcode.LOGOUT_REQUEST).flags(0x80 | 1).itt(0xa2).u32(24, h.cmdSn).u16(20, 7);
        logout.bytes()[0] |= 0x40;
        h.send(Pdu.of(logout));
        Pdu rsp = h.next();
        assertEquals(1, rsp.bhs().u8(2), "CID not found");
        rsp.release();
        assertTrue(h.ch.isOpen());
    }

    @Test
    void logoutForRecoveryIsRefused() {
        h.login();
        Bhs logout = Bhs.create(Opcode.LOGOUT_REQUEST).flags(0x80 | 2).itt(0xa1).u32(24, h.cmdSn);
        logout.bytes()[0] |= 0x40;
        h.send(Pdu.of(logout));
        Pdu rsp = h.next();
        assertEquals(2, rsp.bhs().u8(2));
        rsp.release();
        assertTrue(h.ch.isOpen());
    }

    @Test
    void sendTargetsInFullFeaturePhase() throws Exception {
        h.login();
        Bhs text = Bhs.create(Opcode.TEXT_REQUEST).flags(0x80).itt(0xb0).u32(20, Bhs.RESERVED_TAG).u32(24, h.cmdSn++);
        h.send(Pdu.of(text, Harness.text("SendTargets", "All", "Foo", "bar")));
        Pdu rsp = h.next();
        assertEquals(Opcode.TEXT_RESPONSE, rsp.opcode());
        assertEquals(0x80, rsp.bhs().flags());
        var keys = TextKeys.parse(rsp.data());
        assertEquals(Map.entry("TargetName", Harness.TARGET), keys.get(0));
        assertEquals(Map.entry("TargetAddress", "127.0.0.1:3260,1"), keys.get(1));
        assertEquals(Map.entry("Foo", "NotUnderstood"), keys.get(2));
        rsp.release();
    }

    @Test
    void longTextAnswersContinueOnRequest() throws Exception {
        for (int i = 0; i < 30; i++) {
            h.targets.add(new io.jctl.iscsi.IscsiTarget("iqn.2026-11.io.jctl:extra-target-number-" + i, null,
                    io.jctl.iscsi.AuthGroup.noAuthentication(), h.targets.get(0).portals()));
        }
        h.login("MaxRecvDataSegmentLength", "512");
        Bhs text = Bhs.create(Opcode.TEXT_REQUEST).flags(0x80).itt(0xc0).u32(20, Bhs.RESERVED_TAG).u32(24, h.cmdSn++);
        h.send(Pdu.of(text, Harness.text("SendTargets", "All")));
        ByteBuf all = Unpooled.buffer();
        int pieces = 0;
        while (true) {
            Pdu rsp = h.next();
            assertEquals(Opcode.TEXT_RESPONSE, rsp.opcode());
            assertTrue(rsp.data().readableBytes() <= 512);
            all.writeBytes(rsp.data());
            pieces++;
            int flags = rsp.bhs().flags();
            int ttt = rsp.bhs().u32(20);
            rsp.release();
            if ((flags & 0x80) != 0) {
                assertEquals(Bhs.RESERVED_TAG, ttt);
                break;
            }
            assertEquals(0x40, flags, "C bit while more follows");
            Bhs more = Bhs.create(Opcode.TEXT_REQUEST).flags(0x80).itt(0xc0).u32(20, ttt).u32(24, h.cmdSn++);
            h.send(Pdu.of(more));
        }
        assertTrue(pieces > 3);
        var keys = TextKeys.parse(all);
        all.release();
        assertEquals(62, keys.size(), "31 targets, each with one address");
    }

    private int rejectReason() {
        Pdu rej = h.next();
        assertEquals(Opcode.REJECT, rej.opcode());
        assertEquals(48, rej.data().readableBytes(), "carries the rejected header");
        int reason = rej.bhs().u8(2);
        rej.release();
        return reason;
    }

    @Test
    void malformedPdusAreRejected() {
        h.login();
        Bhs snack = Bhs.create(Opcode.SNACK_REQUEST).flags(0x80).itt(1);
        h.send(Pdu.of(snack));
        assertEquals(0x05, rejectReason());
        h.send(Pdu.of(Bhs.create(0x1c).itt(2)));
        assertEquals(0x05, rejectReason());
        h.send(h.dataOut(0x777, 5, 0, 0, true, Harness.pattern(512, 0)));
        assertEquals(0x09, rejectReason());
        Pdu cmd = h.command(0x778, Harness.write10(0, 1), BLOCK, false, true, true, null);
        h.send(new Pdu(cmd.bhs(), null, Unpooled.EMPTY_BUFFER, true));
        assertEquals(0x02, rejectReason());
        // A duplicate ITT of a command in progress.
        byte[] held = Harness.read10(0, 1);
        held[1] = (byte) 0xEE;
        h.cmdSn--;
        h.send(h.command(0x779, held, BLOCK, true, false, true, null));
        h.send(h.command(0x779, held, BLOCK, true, false, true, null));
        assertEquals(0x07, rejectReason());
        assertTrue(h.ch.isOpen());
        // A Data-Out out of sequence: rejected, the task abandoned and aborted in the core, the session lives on.
        h.send(h.command(0x77a, Harness.write10(0, 2), 2 * BLOCK, false, true, true, null));
        Pdu r2t = h.next();
        int ttt = r2t.bhs().u32(20);
        r2t.release();
        h.send(h.dataOut(0x77a, ttt, 1, 0, false, Harness.pattern(BLOCK, 0)));
        assertEquals(0x04, rejectReason());
        assertEquals(TmfFunction.ABORT_TASK, core.tmfs.get(core.tmfs.size() - 1).function());
        h.send(h.dataOut(0x77a, ttt, 0, BLOCK, true, Harness.pattern(BLOCK, 0)));
        assertNull(h.poll(), "the rest of an abandoned task is dropped quietly");
        // A Data-Out whose data digest failed: rejected with reason 02h, the task abandoned.
        h.send(h.command(0x77c, Harness.write10(0, 1), BLOCK, false, true, true, null));
        r2t = h.next();
        ttt = r2t.bhs().u32(20);
        r2t.release();
        Pdu damaged = h.dataOut(0x77c, ttt, 0, 0, true, Unpooled.EMPTY_BUFFER);
        h.send(new Pdu(damaged.bhs(), null, Unpooled.EMPTY_BUFFER, true));
        assertEquals(0x02, rejectReason());
        h.send(h.command(0x77b, new byte[6], 0, false, false, true, null));
        Pdu ok = h.next();
        assertEquals(Opcode.SCSI_RESPONSE, ok.opcode());
        ok.release();
    }

    @Test
    void immediateDataWhenNotNegotiatedDropsSession() {
        h.login("ImmediateData", "No");
        h.send(h.command(0x100, Harness.write10(0, 1), BLOCK, false, true, true, Harness.pattern(BLOCK, 0)));
        assertFalse(h.ch.isOpen());
    }

    @Test
    void oversizedSegmentIsRejectedAndConnectionClosed() {
        h.login();
        Bhs header = Bhs.create(Opcode.SCSI_COMMAND).itt(0x200);
        h.ch.writeInbound(new FramingError(FramingError.Kind.OVERSIZED_SEGMENT, header, "too long"));
        assertEquals(0x04, rejectReason());
        assertFalse(h.ch.isOpen());
    }

    @Test
    void headerDigestErrorDropsConnectionWithoutReject() {
        h.login();
        h.ch.writeInbound(new FramingError(FramingError.Kind.HEADER_DIGEST, Bhs.create(Opcode.NOP_OUT), "bad"));
        assertNull(h.poll());
        assertFalse(h.ch.isOpen());
        assertEquals(1, core.lost.size());
    }

    @Test
    void extendedCdbFromAhs() {
        h.login();
        Pdu cmd = h.command(0x400, new byte[16], 0, false, false, true, null);
        cmd.bhs().u8(32, 0x7f);
        // AHSLength 17: a reserved byte and CDB bytes 16..31; type 1; padded to 20 bytes.
        byte[] ahs = new byte[20];
        ahs[1] = 17;
        ahs[2] = 1;
        ahs[4] = 0x55;
        h.send(new Pdu(cmd.bhs(), ahs, Unpooled.EMPTY_BUFFER, false));
        byte[] cdb = core.submitted.get(0).cdb();
        assertEquals(32, cdb.length);
        assertEquals(0x7f, cdb[0]);
        assertEquals(0x55, cdb[16]);
        Pdu rsp = h.next();
        assertEquals(0x02, rsp.bhs().u8(3), "the fake core does not know opcode 7f");
        rsp.release();
    }

    @Test
    void connectionLossFailsPendingDataAndReleasesBuffers() {
        h.login("InitialR2T", "No", "FirstBurstLength", "4096");
        h.send(h.command(0x300, Harness.write10(0, 16), 16 * BLOCK, false, true, false, Harness.pattern(1024, 0)));
        h.send(h.dataOut(0x300, Bhs.RESERVED_TAG, 0, 1024, true, Harness.pattern(1024, 0)));
        Pdu r2t = h.next();
        r2t.release();
        h.ch.close();
        assertEquals(1, core.lost.size());
        assertEquals(0, h.port.nexuses().size());
        assertEquals(0, core.completed.get());
    }

    @Test
    void commandsBeforeLoginDropTheConnection() {
        h.send(h.command(1, new byte[6], 0, false, false, true, null));
        assertFalse(h.ch.isOpen());
        assertTrue(core.submitted.isEmpty());
    }

    @Test
    void loginTimeout() {
        h.ch.freezeTime();
        h.ch.advanceTimeBy(61, TimeUnit.SECONDS);
        h.ch.runPendingTasks();
        assertFalse(h.ch.isOpen());
    }
}

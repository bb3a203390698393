package io.jctl.iscsi.session;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.ScsiTask;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.testing.FakeScsiService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command's frontend state is reused for a later command once the first ended. The dangerous moments are the
 * calls the core may still make about the old task afterwards (a late completion after an abort, a connection
 * that dropped): they must reach neither the new command nor the initiator, and must release what they carry.
 */
class TaskStateRecyclingTest {
    private static final int BLOCK = FakeScsiService.BLOCK;

    private final FakeScsiService core = new FakeScsiService(64);
    private final Harness h = new Harness(core, new IscsiSettings(262144, 1048576, 65536, 16,
            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(5)));

    @AfterEach
    void close() {
        h.close();
    }

    private static byte[] heldRead(long lba) {
        byte[] cdb = Harness.read10(lba, 1);
        cdb[1] = (byte) 0xEE;
        return cdb;
    }

    private Pdu abortTask(int itt, int refItt, int refCmdSn) {
        Bhs bhs = Bhs.create(Opcode.TASK_MGMT_REQUEST).flags(0x80 | 1).itt(itt);
        bhs.bytes()[0] |= 0x40;
        bhs.u32(20, refItt).u32(24, h.cmdSn).u32(28, h.expStatSn).u32(32, refCmdSn);
        return Pdu.of(bhs);
    }

    /** Aborts held command {@code itt} and returns its task, whose state the frontend has then let go. */
    private ScsiTask startAndAbort(int itt) {
        int cmdSn = h.cmdSn;
        h.send(h.command(itt, heldRead(0), BLOCK, true, false, true, null));
        ScsiTask task = core.held.get((long) itt);
        assertNotNull(task);
        h.send(abortTask(0x7000 + itt, itt, cmdSn));
        Pdu rsp = h.next();
        assertEquals(Opcode.TASK_MGMT_RESPONSE, rsp.opcode());
        assertEquals(0, rsp.bhs().u8(2), "ABORT TASK: function complete");
        rsp.release();
        return task;
    }

    @Test
    void lateCallsAboutAnAbortedTaskDoNotReachTheCommandThatReusesItsState() {
        h.login();
        ScsiTask aborted = startAndAbort(0x10);
        h.send(h.command(0x11, heldRead(3), BLOCK, true, false, true, null));
        ScsiTask next = core.held.get(0x11L);
        assertSame(aborted.frontendState(), next.frontendState(), "the aborted command's state was reused");

        ByteBuf lateFinal = Unpooled.copiedBuffer(new byte[BLOCK]);
        aborted.setResult(ScsiStatus.GOOD, null);
        aborted.transport().complete(aborted, lateFinal);
        ByteBuf lateData = Unpooled.copiedBuffer(new byte[BLOCK]);
        aborted.transport().sendData(aborted, lateData);
        CompletableFuture<ByteBuf> lateReceive = aborted.transport().receiveData(aborted, BLOCK);
        assertNull(h.poll(), "nothing is sent for the aborted command");
        assertEquals(0, lateFinal.refCnt(), "late final data released");
        assertEquals(0, lateData.refCnt(), "late Data-In released");
        assertTrue(lateReceive.isCompletedExceptionally(), "a late Data-Out request fails");

        byte[] content = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            content[i] = (byte) (i * 7 + 1);
        }
        System.arraycopy(content, 0, core.disk(), 3 * BLOCK, BLOCK);
        core.releaseHeld(0x11);
        Pdu first = h.next();
        assertEquals(Opcode.DATA_IN, first.opcode());
        assertEquals(0x11, first.bhs().itt());
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(first.data());
        Pdu last = first;
        while ((last.bhs().flags() & 0x01) == 0) {
            last = h.next();
            assertEquals(0x11, last.bhs().itt());
            all.writeBytes(last.data());
            last.release();
        }
        assertEquals(0, last.bhs().u8(3), "GOOD status for the command that reused the state");
        assertArrayEquals(content, ByteBufUtil.getBytes(all), "its own data, not the aborted command's");
        first.release();
        all.release();
        assertNull(h.poll());
    }

    @Test
    void stateIsReusedOnlyAfterItsCommandEnded() {
        h.login();
        h.send(h.command(0x20, heldRead(0), BLOCK, true, false, true, null));
        h.send(h.command(0x21, heldRead(1), BLOCK, true, false, true, null));
        ScsiTask first = core.held.get(0x20L);
        ScsiTask second = core.held.get(0x21L);
        assertTrue(first.frontendState() != second.frontendState(), "two commands in flight, two states");
        core.releaseHeld(0x20);
        drainResponseOf(0x20);
        h.send(h.command(0x22, heldRead(2), BLOCK, true, false, true, null));
        ScsiTask third = core.held.get(0x22L);
        assertSame(first.frontendState(), third.frontendState(), "the finished command's state serves the next");
        assertTrue(second.frontendState() != third.frontendState(), "never the state of a command in flight");
        core.releaseHeld(0x21);
        drainResponseOf(0x21);
        core.releaseHeld(0x22);
        drainResponseOf(0x22);
    }

    @Test
    void lateCallsAfterTheConnectionDroppedReleaseTheirBuffers() {
        h.login();
        h.send(h.command(0x30, heldRead(0), BLOCK, true, false, true, null));
        ScsiTask task = core.held.remove(0x30L);
        h.ch.close();
        ByteBuf lateFinal = Unpooled.copiedBuffer(new byte[BLOCK]);
        task.setResult(ScsiStatus.GOOD, null);
        task.transport().complete(task, lateFinal);
        assertEquals(0, lateFinal.refCnt());
        CompletableFuture<ByteBuf> lateReceive = task.transport().receiveData(task, BLOCK);
        assertTrue(lateReceive.isCompletedExceptionally());
    }

    private void drainResponseOf(int itt) {
        Pdu pdu;
        do {
            pdu = h.next();
            assertEquals(itt, pdu.bhs().itt());
            pdu.release();
        } while ((pdu.bhs().flags() & 0x01) == 0);
    }

    @Test
    void poolRefusesStatesGivenBackTwiceOrTooEarly() {
        TaskStatePool pool = new TaskStatePool();
        TaskState st = pool.take();
        assertThrows(IllegalStateException.class, () -> pool.give(st), "its command has not ended");
        st.finished = true;
        pool.give(st);
        assertThrows(IllegalStateException.class, () -> pool.give(st), "given back twice");
        assertEquals(1, pool.size());
        assertSame(st, pool.take());
        assertEquals(0, pool.size());
        for (int i = 0; i < TaskStatePool.KEPT + 10; i++) {
            TaskState s = new TaskState();
            s.finished = true;
            pool.give(s);
        }
        assertEquals(TaskStatePool.KEPT, pool.size(), "keeps at most KEPT");
    }
}

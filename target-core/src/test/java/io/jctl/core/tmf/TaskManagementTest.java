package io.jctl.core.tmf;

import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.task.TmfResponse;
import io.jctl.core.task.TmfResponse.Code;
import io.jctl.core.testing.CoreHarness;
import io.jctl.core.testing.Sense;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jctl.core.testing.TestCommands.DATA_OUT;
import static io.jctl.core.testing.TestCommands.MODE_SELECT;
import static io.jctl.core.testing.TestCommands.READ10;
import static io.jctl.core.testing.TestCommands.TUR;
import static io.jctl.core.testing.TestCommands.WRITE10;
import static io.jctl.core.testing.TestCommands.cdb;
import static io.jctl.core.testing.TestCommands.cdb10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every task management function of ctl-facts §3.1 against real task sets. */
class TaskManagementTest {
    private CoreHarness h;
    private Nexus a;
    private Nexus b;

    @BeforeEach
    void setUp() throws Exception {
        h = new CoreHarness();
        a = h.nexus("a");
        b = h.nexus("b");
        h.disk(0);
        h.disk(1);
        for (Nexus n : new Nexus[] {a, b}) {
            h.clearUnitAttentions(n, 0);
            h.clearUnitAttentions(n, 1);
        }
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private CompletableFuture<TmfResponse> tmf(TmfFunction f, Nexus n, int lun, long tag) {
        return h.core.taskManagement(new TmfRequest(f, n, LunAddress.encode(lun), tag));
    }

    private static TmfResponse now(CompletableFuture<TmfResponse> f) throws Exception {
        assertTrue(f.isDone(), "the function should be complete already");
        return f.get();
    }

    private static TmfResponse await(CompletableFuture<TmfResponse> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void abortTaskOfABlockedTaskEndsItAtOnceWithoutResponse() throws Exception {
        ScsiTask barrier = h.submit(a, 0, cdb(MODE_SELECT, 0x10, 0, 0, 0, 0));
        ScsiTask waiting = h.submit(a, 0, cdb(TUR));
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.ABORT_TASK, a, 0, waiting.tag())).code());
        assertTrue(h.transport.aborted.contains(waiting));
        assertFalse(h.done(waiting), "no status for a task aborted by its own nexus");
        h.commands.held.get(barrier.tag()).complete();
        assertEquals(ScsiStatus.GOOD, h.transport.await(barrier).status());
    }

    @Test
    void abortTaskOfARunningTaskCompletesWhenItsHandlerEnds() throws Exception {
        ScsiTask running = h.submit(a, 0, cdb10(READ10, 0, 1));
        ScsiTask behind = h.submit(b, 0, cdb10(WRITE10, 0, 1));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.ABORT_TASK, a, 0, running.tag());
        assertFalse(f.isDone(), "the running task has not left yet");
        assertFalse(h.commands.held.containsKey(behind.tag()), "a running aborted task still orders others");
        h.commands.held.get(running.tag()).complete(Unpooled.buffer(512).writeZero(512));
        assertEquals(Code.FUNCTION_COMPLETE, now(f).code());
        assertTrue(h.transport.aborted.contains(running));
        assertFalse(h.done(running));
        assertTrue(h.commands.held.containsKey(behind.tag()), "released");
        h.commands.held.get(behind.tag()).complete();
    }

    @Test
    void abortTaskReleasesAHandlerWaitingForDataOut() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb(DATA_OUT, 0, 0, 0, 64, 0));
        assertTrue(h.transport.receives.containsKey(t));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.ABORT_TASK, a, 0, t.tag());
        assertEquals(Code.FUNCTION_COMPLETE, await(f).code());
        assertTrue(h.transport.receives.get(t).isCompletedExceptionally());
        assertEquals(1, h.transport.aborted.stream().filter(x -> x == t).count(), "told exactly once");
        assertFalse(h.done(t));
    }

    @Test
    void abortTaskForAnUnknownTagCompletes() throws Exception {
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.ABORT_TASK, a, 0, 4242)).code());
    }

    @Test
    void abortTaskOnlyTouchesTheRequestersTask() throws Exception {
        ScsiTask theirs = h.task(b, 0, 77, TaskAttribute.SIMPLE, cdb10(READ10, 0, 1));
        h.core.submit(theirs);
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.ABORT_TASK, a, 0, 77)).code());
        assertFalse(h.transport.aborted.contains(theirs));
        h.commands.held.get(theirs.tag()).complete();
        assertEquals(ScsiStatus.GOOD, h.transport.await(theirs).status());
    }

    @Test
    void abortTaskSetAbortsOnlyTheNexusTasksOnThatLun() throws Exception {
        ScsiTask mine = h.submit(a, 0, cdb(MODE_SELECT, 0x10, 0, 0, 0, 0));
        ScsiTask mineBlocked = h.submit(a, 0, cdb(TUR));
        ScsiTask theirs = h.submit(b, 0, cdb(TUR));
        ScsiTask mineOtherLun = h.submit(a, 1, cdb(MODE_SELECT, 0x10, 0, 0, 0, 0));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.ABORT_TASK_SET, a, 0, 0);
        assertTrue(h.transport.aborted.contains(mineBlocked));
        assertFalse(f.isDone());
        h.commands.held.get(mine.tag()).complete();
        assertEquals(Code.FUNCTION_COMPLETE, now(f).code());
        assertEquals(ScsiStatus.GOOD, h.transport.await(theirs).status(), "b's TUR ran once the barrier left");
        assertFalse(h.transport.aborted.contains(mineOtherLun));
        h.commands.held.get(mineOtherLun.tag()).complete();
    }

    @Test
    void clearTaskSetGivesOtherNexusesTaskAbortedStatus() throws Exception {
        ScsiTask theirsRunning = h.submit(b, 0, cdb(MODE_SELECT, 0x10, 0, 0, 0, 0));
        ScsiTask theirsBlocked = h.submit(b, 0, cdb(TUR));
        ScsiTask mineBlocked = h.submit(a, 0, cdb(TUR));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.CLEAR_TASK_SET, a, 0, 0);
        assertEquals(ScsiStatus.TASK_ABORTED, h.transport.await(theirsBlocked).status());
        assertTrue(h.transport.aborted.contains(mineBlocked));
        assertFalse(f.isDone());
        h.commands.held.get(theirsRunning.tag()).complete();
        assertEquals(ScsiStatus.TASK_ABORTED, h.transport.await(theirsRunning).status());
        assertEquals(Code.FUNCTION_COMPLETE, now(f).code());
    }

    @Test
    void lunResetAbortsEverythingAndRaisesLunResetForAllIncludingTheRequester() throws Exception {
        ScsiTask theirs = h.submit(b, 0, cdb(MODE_SELECT, 0x10, 0, 0, 0, 0));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.LOGICAL_UNIT_RESET, a, 0, 0);
        h.commands.held.get(theirs.tag()).complete();
        assertEquals(Code.FUNCTION_COMPLETE, await(f).code());
        assertEquals(ScsiStatus.TASK_ABORTED, h.transport.await(theirs).status());
        assertEquals("6/29/00", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals("6/29/00", Sense.code(h.run(b, 0, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(a, 1, cdb(TUR)).status(), "other LUNs untouched");
    }

    @Test
    void lunScopedFunctionsOnAMissingLun() throws Exception {
        for (TmfFunction fn : new TmfFunction[] {TmfFunction.ABORT_TASK, TmfFunction.ABORT_TASK_SET,
                TmfFunction.CLEAR_TASK_SET, TmfFunction.LOGICAL_UNIT_RESET, TmfFunction.QUERY_TASK,
                TmfFunction.QUERY_TASK_SET, TmfFunction.QUERY_ASYNC_EVENT}) {
            assertEquals(Code.LUN_DOES_NOT_EXIST, now(tmf(fn, a, 9, 1)).code(), fn.name());
        }
    }

    @Test
    void targetResetResetsEveryVisibleLun() throws Exception {
        ScsiTask t0 = h.submit(b, 0, cdb10(READ10, 0, 1));
        ScsiTask t1 = h.submit(b, 1, cdb10(READ10, 0, 1));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.TARGET_RESET, a, 0, 0);
        assertFalse(f.isDone());
        h.commands.held.get(t0.tag()).complete();
        h.commands.held.get(t1.tag()).complete();
        assertEquals(Code.FUNCTION_COMPLETE, await(f).code());
        assertEquals("6/29/03", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals("6/29/03", Sense.code(h.run(b, 1, cdb(TUR)).sense()));
    }

    @Test
    void targetResetSkipsLunsTheLunMapHides() throws Exception {
        h.port.setLunMap(java.util.Map.of(0, 0));
        assertEquals(Code.FUNCTION_COMPLETE, await(tmf(TmfFunction.TARGET_RESET, a, 0, 0)).code());
        h.port.setLunMap(null);
        assertEquals("6/29/03", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(a, 1, cdb(TUR)).status());
    }

    @Test
    void itNexusResetAbortsThatNexusEverywhereAndRaisesNexusLoss() throws Exception {
        ScsiTask mine0 = h.submit(a, 0, cdb(MODE_SELECT, 0x10, 0, 0, 0, 0));
        ScsiTask mine1 = h.submit(a, 1, cdb10(READ10, 0, 1));
        ScsiTask theirs = h.submit(b, 1, cdb10(READ10, 8, 1));
        CompletableFuture<TmfResponse> f = tmf(TmfFunction.I_T_NEXUS_RESET, a, 0, 0);
        h.commands.held.get(mine0.tag()).complete();
        h.commands.held.get(mine1.tag()).complete();
        assertEquals(Code.FUNCTION_COMPLETE, await(f).code());
        assertTrue(h.transport.aborted.contains(mine0));
        assertTrue(h.transport.aborted.contains(mine1));
        h.commands.held.get(theirs.tag()).complete();
        assertEquals(ScsiStatus.GOOD, h.transport.await(theirs).status());
        assertEquals("6/29/07", Sense.code(h.run(a, 0, cdb(TUR)).sense()));
        assertEquals("6/29/07", Sense.code(h.run(a, 1, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(b, 0, cdb(TUR)).status());
    }

    @Test
    void lunResetReachesTheRequesterEvenOnItsFirstContact() throws Exception {
        Nexus c = h.nexus("c");
        assertEquals(Code.FUNCTION_COMPLETE, await(tmf(TmfFunction.LOGICAL_UNIT_RESET, c, 0, 0)).code());
        assertEquals("6/29/00", Sense.code(h.run(c, 0, cdb(TUR)).sense()));
    }

    @Test
    void nexusLossIsRememberedOnlyWhereTheNexusWasActive() throws Exception {
        Nexus c = h.nexus("c");
        h.clearUnitAttentions(c, 0);
        h.core.nexusLost(c);
        assertEquals("6/29/07", Sense.code(h.run(c, 0, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(c, 1, cdb(TUR)).status(), "never used LUN 1");
    }

    @Test
    void nexusLossShowsUpInTheNextSessionOfTheSameInitiatorPort() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb(DATA_OUT, 0, 0, 0, 64, 0));
        h.core.nexusLost(a);
        assertTrue(h.transport.aborted.contains(t));
        Nexus again = new Nexus(a.initiatorName(), a.initiatorPort(), a.portId());
        assertEquals("6/29/07", Sense.code(h.run(again, 0, cdb(TUR)).sense()));
        assertEquals(ScsiStatus.GOOD, h.run(again, 0, cdb(TUR)).status());
    }

    @Test
    void queryTaskAndTaskSet() throws Exception {
        ScsiTask t = h.submit(a, 0, cdb10(READ10, 0, 1));
        assertEquals(Code.FUNCTION_SUCCEEDED, now(tmf(TmfFunction.QUERY_TASK, a, 0, t.tag())).code());
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.QUERY_TASK, b, 0, t.tag())).code());
        assertEquals(Code.FUNCTION_SUCCEEDED, now(tmf(TmfFunction.QUERY_TASK_SET, a, 0, 0)).code());
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.QUERY_TASK_SET, b, 0, 0)).code());
        h.commands.held.get(t.tag()).complete();
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.QUERY_TASK, a, 0, t.tag())).code());
        assertEquals(Code.FUNCTION_COMPLETE, now(tmf(TmfFunction.QUERY_TASK_SET, a, 0, 0)).code());
    }

    @Test
    void queryAsyncEventPacksThePendingUnitAttentionWithoutClearingIt() throws Exception {
        Nexus c = h.nexus("c");
        h.disk(2);
        TmfResponse r = now(tmf(TmfFunction.QUERY_ASYNC_EVENT, c, 2, 0));
        assertEquals(Code.FUNCTION_SUCCEEDED, r.code());
        assertEquals(0x062901, r.additionalInfo());
        assertEquals("6/29/01", Sense.code(h.run(c, 2, cdb(TUR)).sense()), "still pending");
        TmfResponse none = now(tmf(TmfFunction.QUERY_ASYNC_EVENT, c, 2, 0));
        assertEquals(Code.FUNCTION_COMPLETE, none.code());
        assertEquals(0, none.additionalInfo());
    }

    @Test
    void clearAcaIsNotSupported() throws Exception {
        assertEquals(Code.FUNCTION_NOT_SUPPORTED, now(tmf(TmfFunction.CLEAR_ACA, a, 0, 0)).code());
    }
}

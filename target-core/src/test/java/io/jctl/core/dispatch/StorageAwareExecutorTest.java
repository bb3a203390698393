package io.jctl.core.dispatch;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.testing.CoreHarness;
import org.junit.jupiter.api.Test;

import static io.jctl.core.testing.TestCommands.READ10;
import static io.jctl.core.testing.TestCommands.TUR;
import static io.jctl.core.testing.TestCommands.WRITE10;
import static io.jctl.core.testing.TestCommands.cdb;
import static io.jctl.core.testing.TestCommands.cdb10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Media access commands of storage that completes inline run on the submitting thread; other commands and other
 * storage go to the lanes; the task set still orders them.
 */
class StorageAwareExecutorTest {
    @Test
    void mediaAccessOnInlineStorageRunsOnTheSubmittingThread() throws Exception {
        try (CoreHarness h = new CoreHarness(new StorageAwareExecutor(new LaneExecutor(1)))) {
            h.disk(0, "inline", "on");
            h.disk(1);
            Nexus n = h.nexus("a");
            h.clearUnitAttentions(n, 0);
            h.clearUnitAttentions(n, 1);
            Thread me = Thread.currentThread();

            ScsiTask inlineRead = h.submit(n, 0, cdb10(READ10, 0, 8));
            assertSame(me, h.commands.ranOn.get(inlineRead.tag()), "READ on inline storage runs here");
            ScsiTask laneRead = h.submit(n, 1, cdb10(READ10, 0, 8));
            ScsiTask tur = h.submit(n, 0, cdb(TUR));
            assertEquals(ScsiStatus.GOOD, h.transport.await(tur).status());
            assertNotEquals(me, h.commands.ranOn.get(tur.tag()), "commands without an extent go to a lane");
            h.commands.heldInOrder.take();
            h.commands.heldInOrder.take();
            assertNotEquals(me, h.commands.ranOn.get(laneRead.tag()), "READ on other storage goes to a lane");
            h.commands.held.remove(inlineRead.tag()).complete();
            h.commands.held.remove(laneRead.tag()).complete();
            assertEquals(ScsiStatus.GOOD, h.transport.await(inlineRead).status());
            assertEquals(ScsiStatus.GOOD, h.transport.await(laneRead).status());
        }
    }

    @Test
    void storageThatRunsOnTheCallerWithoutCompletingInlineGetsItsMediaCommandsHere() throws Exception {
        try (CoreHarness h = new CoreHarness(new StorageAwareExecutor(new LaneExecutor(1)))) {
            h.disk(0, "inline", "caller");
            Nexus n = h.nexus("a");
            h.clearUnitAttentions(n, 0);
            Thread me = Thread.currentThread();

            ScsiTask read = h.submit(n, 0, cdb10(READ10, 0, 8));
            ScsiTask write = h.submit(n, 0, cdb10(WRITE10, 100, 8));
            assertSame(me, h.commands.ranOn.get(read.tag()), "READ runs here");
            assertSame(me, h.commands.ranOn.get(write.tag()), "WRITE runs here");
            ScsiTask tur = h.submit(n, 0, cdb(TUR));
            assertEquals(ScsiStatus.GOOD, h.transport.await(tur).status());
            assertNotEquals(me, h.commands.ranOn.get(tur.tag()), "commands without an extent go to a lane");
            h.commands.held.remove(read.tag()).complete();
            h.commands.held.remove(write.tag()).complete();
            assertEquals(ScsiStatus.GOOD, h.transport.await(read).status());
            assertEquals(ScsiStatus.GOOD, h.transport.await(write).status());
        }
    }

    @Test
    void aBlockedInlineCommandRunsOnTheThreadThatEndsItsBlocker() throws Exception {
        try (CoreHarness h = new CoreHarness(new StorageAwareExecutor(new LaneExecutor(1)))) {
            h.disk(0, "inline", "on");
            Nexus n = h.nexus("a");
            h.clearUnitAttentions(n, 0);
            ScsiTask write = h.submit(n, 0, cdb10(WRITE10, 0, 8));
            ScsiTask read = h.task(n, 0, TaskAttribute.SIMPLE, cdb10(READ10, 4, 8));
            h.core.submit(read);
            assertNull(h.commands.ranOn.get(read.tag()), "the overlapping READ waits for the WRITE");
            Thread completer = new Thread(() -> h.commands.held.remove(write.tag()).complete(), "completer");
            completer.start();
            completer.join();
            assertSame(completer, h.commands.ranOn.get(read.tag()));
            h.commands.held.remove(read.tag()).complete();
            assertEquals(ScsiStatus.GOOD, h.transport.await(write).status());
            assertEquals(ScsiStatus.GOOD, h.transport.await(read).status());
        }
    }
}

package io.jctl.core.dispatch;

import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.stats.IoType;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.testing.CoreHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jctl.core.testing.TestCommands.READ10;
import static io.jctl.core.testing.TestCommands.WRITE10;
import static io.jctl.core.testing.TestCommands.cdb10;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many initiators submit overlapping reads and writes on worker lanes while handlers complete from another pool:
 * every command ends exactly once, and the task sets drain.
 */
class ConcurrentDispatchTest {
    @Test
    void overlappingTrafficFromManyThreadsDrains() throws Exception {
        ExecutorService completer = Executors.newFixedThreadPool(3);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (CoreHarness h = new CoreHarness(new LaneExecutor(2))) {
            h.disk(0);
            h.disk(1);
            // Handlers are "held": a background loop completes each one from another thread.
            Future<?> pump = completer.submit(() -> {
                try {
                    while (true) {
                        var cmd = h.commands.heldInOrder.take();
                        completer.execute(cmd::complete);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<Future<List<ScsiTask>>> batches = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                int sender = s;
                batches.add(senders.submit(() -> {
                    Nexus n = h.nexus("n" + sender);
                    List<ScsiTask> mine = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        int lun = i % 2;
                        byte[] cdb = cdb10(i % 3 == 0 ? WRITE10 : READ10, (i * 7L) % 64, 8);
                        TaskAttribute attr = i % 50 == 0 ? TaskAttribute.ORDERED : TaskAttribute.SIMPLE;
                        ScsiTask t = h.task(n, lun, attr, cdb);
                        h.core.submit(t);
                        mine.add(t);
                    }
                    return mine;
                }));
            }
            int good = 0;
            for (Future<List<ScsiTask>> b : batches) {
                for (ScsiTask t : b.get(30, TimeUnit.SECONDS)) {
                    if (h.transport.await(t).status() == ScsiStatus.GOOD) {
                        good++;
                    }
                }
            }
            pump.cancel(true);
            assertEquals(1200, good);
            assertEquals(1200, h.transport.byTask.size());
            long ops = 0;
            for (int lun = 0; lun < 2; lun++) {
                var stats = h.core.lunStats(lun);
                ops += stats.get(IoType.READ).operations() + stats.get(IoType.WRITE).operations();
            }
            assertEquals(good, ops);
        } finally {
            completer.shutdownNow();
            senders.shutdownNow();
            completer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void commandsArrivingAfterShutdownAreAnsweredBusy() throws Exception {
        LaneExecutor lanes = new LaneExecutor(1);
        try (CoreHarness h = new CoreHarness(lanes)) {
            h.disk(0);
            Nexus n = h.nexus("n");
            lanes.close();
            assertEquals(ScsiStatus.BUSY, h.run(n, 0, io.jctl.core.testing.TestCommands.cdb(0x00)).status());
        }
    }
}

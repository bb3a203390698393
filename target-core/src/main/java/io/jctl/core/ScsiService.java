package io.jctl.core;

import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.task.TmfResponse;

import java.util.concurrent.CompletableFuture;

/** What frontends call: the core's entry points for commands and task management. */
public interface ScsiService {
    /** Takes a new command; its outcome arrives later through the task's {@link io.jctl.core.task.TaskTransport}. */
    void submit(ScsiTask task);

    /** Runs a task management function; the future completes once every affected task has ended. */
    CompletableFuture<TmfResponse> taskManagement(TmfRequest request);

    /**
     * The nexus is gone (session closed or dropped): its tasks are aborted, its reservations and prevent bits
     * cleared, and an I_T NEXUS LOSS unit attention is raised for its initiator port, as CTL does.
     */
    void nexusLost(Nexus nexus);
}

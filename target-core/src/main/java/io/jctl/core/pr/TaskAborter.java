package io.jctl.core.pr;

import io.jctl.core.task.Nexus;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Aborts the tasks of some nexuses on the reservation's LUN (PREEMPT AND ABORT), as task management does. */
@FunctionalInterface
public interface TaskAborter {
    /** Completes once every aborted task has left the LUN's task set. */
    CompletableFuture<Void> abort(Set<Nexus> nexuses, Nexus requester);
}

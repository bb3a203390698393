package io.jctl.core.task;

/**
 * A task management request.
 *
 * @param function       what to do
 * @param nexus          who asks
 * @param lun            the 8-byte SAM LUN field (ignored for target-wide functions)
 * @param referencedTag  the task tag ABORT TASK / QUERY TASK refer to
 */
public record TmfRequest(TmfFunction function, Nexus nexus, long lun, long referencedTag) {
}

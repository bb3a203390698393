package io.jctl.core.task;

/** Task management functions (SAM-5), as the core understands them. */
public enum TmfFunction {
    ABORT_TASK,
    ABORT_TASK_SET,
    CLEAR_ACA,
    CLEAR_TASK_SET,
    LOGICAL_UNIT_RESET,
    TARGET_RESET,
    I_T_NEXUS_RESET,
    QUERY_TASK,
    QUERY_TASK_SET,
    QUERY_ASYNC_EVENT
}

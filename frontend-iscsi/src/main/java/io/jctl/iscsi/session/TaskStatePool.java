package io.jctl.iscsi.session;

import java.util.ArrayDeque;

/**
 * The finished {@link TaskState}s of one session, kept for its next commands so that a command costs no new state
 * object. Only used on the connection's event loop. A state comes back only after its command ended and released
 * every buffer; what may still refer to it then (the core's old task) cannot reach it, see {@link TaskState#of}.
 */
final class TaskStatePool {
    /** As many as a session has in flight with the default command window (256 commands). */
    static final int KEPT = 256;

    private final ArrayDeque<TaskState> free = new ArrayDeque<>();

    TaskState take() {
        TaskState st = free.pollFirst();
        if (st == null) {
            return new TaskState();
        }
        st.pooled = false;
        return st;
    }

    /** Takes back a state whose command ended; a state given back twice is a bug and is refused. */
    void give(TaskState st) {
        if (!st.finished || st.pooled) {
            throw new IllegalStateException("task state of " + st.task + " given back "
                    + (st.pooled ? "twice" : "before its command ended"));
        }
        if (free.size() < KEPT) {
            st.pooled = true;
            free.addFirst(st);
        }
    }

    int size() {
        return free.size();
    }
}

package io.jctl.core.dispatch;

import java.util.ArrayDeque;

/**
 * Runs handlers on the submitting (or completing) thread. Commands that become runnable while a handler runs on
 * the same thread are queued and run after it returns, so chains of unblocked commands do not grow the stack.
 */
public final class InlineExecutor implements TaskExecutor {
    private final ThreadLocal<ArrayDeque<ActiveCommand>> pending = new ThreadLocal<>();

    @Override
    public void execute(ActiveCommand command) {
        ArrayDeque<ActiveCommand> queue = pending.get();
        if (queue != null) {
            queue.add(command);
            return;
        }
        queue = new ArrayDeque<>();
        pending.set(queue);
        try {
            for (ActiveCommand c = command; c != null; c = queue.poll()) {
                c.run();
            }
        } finally {
            pending.remove();
        }
    }
}

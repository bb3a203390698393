package io.jctl.core.dispatch;

import java.util.ArrayDeque;

/**
 * Runs handlers on the submitting (or completing) thread. Commands that become runnable while a handler runs on
 * the same thread are queued and run after it returns, so chains of unblocked commands do not grow the stack.
 */
public final class InlineExecutor implements TaskExecutor {
    /** Per thread: the commands waiting for the handler running on it; a thread's runner lives as long as it. */
    private final ThreadLocal<Runner> runners = ThreadLocal.withInitial(Runner::new);

    private static final class Runner {
        final ArrayDeque<ActiveCommand> queue = new ArrayDeque<>();
        boolean running;
    }

    @Override
    public void execute(ActiveCommand command) {
        Runner runner = runners.get();
        if (runner.running) {
            runner.queue.add(command);
            return;
        }
        runner.running = true;
        try {
            for (ActiveCommand c = command; c != null; c = runner.queue.poll()) {
                c.run();
            }
        } finally {
            runner.running = false;
        }
    }
}

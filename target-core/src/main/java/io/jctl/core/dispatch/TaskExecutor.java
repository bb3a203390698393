package io.jctl.core.dispatch;

/**
 * Where a command that is free to run executes: on a local worker thread, inline, or (with HA) on a peer node.
 * Implementations eventually call {@link ActiveCommand#run()} or end the command themselves.
 */
public interface TaskExecutor extends AutoCloseable {
    void execute(ActiveCommand command);

    /** Stops accepting work and releases threads. */
    @Override
    default void close() {
    }
}

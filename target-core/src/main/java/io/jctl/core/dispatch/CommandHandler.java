package io.jctl.core.dispatch;

/**
 * Runs one SCSI command. It ends the command exactly once through {@link Command#complete} or
 * {@link Command#fail}, now or later (asynchronous backend I/O). A {@link io.jctl.core.scsi.ScsiException} thrown
 * synchronously is the same as {@code fail(e)}.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Command cmd);
}

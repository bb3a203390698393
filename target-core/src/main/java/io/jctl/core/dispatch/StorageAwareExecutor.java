package io.jctl.core.dispatch;

import io.jctl.core.lun.Lun;

/**
 * Chooses where a runnable command executes by what its storage does. Media access commands (those with an LBA
 * extent: READ, WRITE, VERIFY ...) of LUNs whose storage {@linkplain io.jctl.core.backend.BackendLun#runsOnCaller
 * runs them on the caller} (memory, or page-cache hits of a file) run on the submitting or completing thread,
 * usually the frontend's network thread: their work is a memory copy, and handing it to a worker and the result
 * back would cost two thread wake-ups per command.
 * Everything else (other storage, and the commands that may do more than one backend call or touch files) goes to
 * the worker lanes. Ordering is unaffected: only commands the LUN's task set has already let run get here.
 */
public final class StorageAwareExecutor implements TaskExecutor {
    private final InlineExecutor inline = new InlineExecutor();
    private final TaskExecutor lanes;

    public StorageAwareExecutor(TaskExecutor lanes) {
        this.lanes = lanes;
    }

    @Override
    public void execute(ActiveCommand command) {
        if (runsInline(command)) {
            inline.execute(command);
        } else {
            lanes.execute(command);
        }
    }

    static boolean runsInline(ActiveCommand command) {
        Lun lun = command.lun();
        return lun != null && command.entry().extent() != null && lun.storage().runsOnCaller();
    }

    @Override
    public void close() {
        lanes.close();
    }
}

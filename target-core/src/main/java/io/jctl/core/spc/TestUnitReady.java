package io.jctl.core.spc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;

/**
 * TEST UNIT READY. The dispatcher's precheck already answered for stopped or missing media and pending unit
 * attentions; reaching the handler means the unit is ready.
 */
public final class TestUnitReady implements CommandHandler {
    @Override
    public void execute(Command cmd) {
        cmd.task().setCommandDataLength(0);
        cmd.complete();
    }
}

package io.jctl.ctladm;

import io.jctl.control.ControlException;
import io.jctl.control.message.SessionActionResult;
import io.jctl.control.message.SessionSelector;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code islogout} and {@code isterminate}: the same selectors, different actions. */
abstract class SessionCommand extends Subcommand {

    static final class Selection {
        @Option(names = "-a", required = true, description = "every session")
        boolean all;

        @Option(names = "-c", required = true, paramLabel = "connection_id", description = "the session with this id")
        Long connectionId;

        @Option(names = "-i", required = true, paramLabel = "initiator_name",
                description = "sessions of this initiator")
        String initiatorName;

        @Option(names = "-p", required = true, paramLabel = "initiator_addr",
                description = "sessions from this address")
        String initiatorAddress;

        SessionSelector toSelector() {
            return new SessionSelector(all, connectionId, initiatorName, initiatorAddress);
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    abstract SessionActionResult act(SessionSelector selector) throws ControlException;

    abstract String doneMessage();

    @Override
    public Integer call() throws Exception {
        SessionActionResult result = act(selection.toSelector());
        if (json()) {
            root.printJson(result);
        } else {
            out().println(doneMessage());
        }
        return 0;
    }

    @Command(name = "islogout", description = "Ask iSCSI sessions to log out.")
    static final class Logout extends SessionCommand {
        @Override
        SessionActionResult act(SessionSelector selector) throws ControlException {
            return service().islogout(selector);
        }

        @Override
        String doneMessage() {
            return "iSCSI logout requests submitted";
        }
    }

    @Command(name = "isterminate", description = "Drop iSCSI sessions at once.")
    static final class Terminate extends SessionCommand {
        @Override
        SessionActionResult act(SessionSelector selector) throws ControlException {
            return service().isterminate(selector);
        }

        @Override
        String doneMessage() {
            return "iSCSI session(s) terminated";
        }
    }
}

package io.jctl.ctladm;

import io.jctl.control.message.ReloadResult;
import picocli.CommandLine.Command;

@Command(name = "reload", description = "Make ctld re-read its configuration file and apply the difference.")
final class ReloadCommand extends Subcommand {
    @Override
    public Integer call() throws Exception {
        ReloadResult result = service().reload();
        if (json()) {
            root.printJson(result);
        } else if (result.changes().isEmpty()) {
            out().println("configuration reloaded: no changes");
        } else {
            out().println("configuration reloaded:");
            result.changes().forEach(c -> out().println("  " + c));
        }
        return 0;
    }
}

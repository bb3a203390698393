package io.jctl.ctladm;

import io.jctl.control.message.LunInfo;
import io.jctl.control.message.RemoveLunArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "remove", description = "Remove a LUN.")
final class RemoveCommand extends Subcommand {
    @Option(names = "-b", required = true, paramLabel = "backend", description = "the LUN's backend")
    String backend;

    @Option(names = "-l", required = true, paramLabel = "lun_id", description = "LUN number")
    int lunId;

    @Override
    public Integer call() throws Exception {
        LunInfo removed = service().remove(new RemoveLunArgs(backend, lunId));
        if (json()) {
            root.printJson(removed);
        } else {
            out().printf("LUN %d removed successfully%n", removed.id());
        }
        return 0;
    }
}

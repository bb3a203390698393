package io.jctl.ctladm;

import io.jctl.control.message.LunInfo;
import io.jctl.control.message.ModifyLunArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "modify", description = "Resize a LUN online (initiators see CAPACITY DATA HAS CHANGED).")
final class ModifyCommand extends Subcommand {
    @Option(names = "-b", required = true, paramLabel = "backend", description = "the LUN's backend")
    String backend;

    @Option(names = "-l", required = true, paramLabel = "lun_id", description = "LUN number")
    int lunId;

    @Option(names = "-s", required = true, paramLabel = "size",
            description = "new size in bytes, suffixes k m g t p e, or auto")
    String size;

    @Override
    public Integer call() throws Exception {
        LunInfo lun = service().modify(new ModifyLunArgs(backend, lunId, size));
        if (json()) {
            root.printJson(lun);
        } else {
            out().printf("LUN %d modified successfully, new size %d bytes (%d blocks)%n", lun.id(), lun.sizeBytes(),
                    lun.sizeBlocks());
        }
        return 0;
    }
}

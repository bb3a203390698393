package io.jctl.core.testing;

import io.jctl.core.backend.Backend;
import io.jctl.core.backend.BackendConfigException;
import io.jctl.core.backend.BackendLun;
import io.jctl.core.backend.LunSpec;

import java.util.ArrayList;
import java.util.List;

/** A test backend named "mem": sizes only, no data. Option {@code fail=<reason>} makes open fail;
 * {@code inline=on} makes the storage report that it completes inline, {@code inline=caller} only that its media
 * commands run on the caller. */
public final class MemBackend implements Backend {
    public final List<MemLun> opened = new ArrayList<>();

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public BackendLun open(LunSpec spec) throws BackendConfigException {
        String fail = spec.options().get("fail");
        if (fail != null) {
            throw new BackendConfigException(fail);
        }
        if (spec.sizeBytes() == LunSpec.SIZE_AUTO) {
            throw new BackendConfigException("mem needs a size");
        }
        MemLun lun = new MemLun(spec.blockSize(), spec.sizeBytes() / spec.blockSize(),
                "on".equals(spec.options().get("storage_ro")), "on".equals(spec.options().get("inline")),
                "caller".equals(spec.options().get("inline")));
        opened.add(lun);
        return lun;
    }
}

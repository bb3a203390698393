package io.jctl.core.dispatch;

import java.util.Collection;

/** Where the dispatcher finds the engine state of LUNs by core LUN id. */
public interface LunDirectory {
    /** The live LUN with this core id, or null. */
    LunContext context(int lunId);

    /** Every live LUN. */
    Collection<LunContext> contexts();
}

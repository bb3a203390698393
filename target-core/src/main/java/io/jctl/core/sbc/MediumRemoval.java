package io.jctl.core.sbc;

import io.jctl.core.dispatch.LunState;
import io.jctl.core.task.Nexus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which nexuses sent PREVENT ALLOW MEDIUM REMOVAL with PREVENT set on a removable LUN (CTL's per-initiator prevent
 * bitmap). The medium may be ejected only while the set is empty. A LOGICAL UNIT RESET (and so a target reset)
 * clears every bit, an I_T NEXUS RESET or the end of a session clears that nexus's bit (ctl-facts §3.1).
 */
public final class MediumRemoval implements LunState {
    private final Set<Nexus> preventing = ConcurrentHashMap.newKeySet();

    /** Sets or clears {@code nexus}'s bit; true when that changed it. */
    public boolean prevent(Nexus nexus, boolean prevent) {
        return prevent ? preventing.add(nexus) : preventing.remove(nexus);
    }

    /** True while any nexus prevents removal. */
    public boolean prevented() {
        return !preventing.isEmpty();
    }

    public boolean preventedBy(Nexus nexus) {
        return preventing.contains(nexus);
    }

    @Override
    public void lunReset() {
        preventing.clear();
    }

    @Override
    public void nexusReset(Nexus nexus) {
        preventing.remove(nexus);
    }
}

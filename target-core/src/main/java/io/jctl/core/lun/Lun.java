package io.jctl.core.lun;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.mode.ModePages;

import java.util.Map;

/**
 * A logical unit: its identity, storage, options and mode parameters. Engine state (task set, unit attentions,
 * reservations, statistics) hangs off it too.
 */
public final class Lun {
    private final int id;
    private final LunType type;
    private final String backendName;
    private final BackendLun storage;
    private final LunIdentity identity;
    private final Map<String, String> options;
    private final ModePages modePages;
    private volatile boolean stopped;
    private volatile boolean ejected;

    public Lun(int id, LunType type, String backendName, BackendLun storage, LunIdentity identity,
               Map<String, String> options, ModePages modePages) {
        this.id = id;
        this.type = type;
        this.backendName = backendName;
        this.storage = storage;
        this.identity = identity;
        this.options = Map.copyOf(options);
        this.modePages = modePages;
    }

    /** The core LUN number (ctladm's LUN id). */
    public int id() {
        return id;
    }

    public LunType type() {
        return type;
    }

    public String backendName() {
        return backendName;
    }

    public BackendLun storage() {
        return storage;
    }

    public LunIdentity identity() {
        return identity;
    }

    public Map<String, String> options() {
        return options;
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** True when an option is set to on/yes/true/1. */
    public boolean optionEnabled(String name, boolean fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "yes", "true", "1" -> true;
            default -> false;
        };
    }

    public ModePages modePages() {
        return modePages;
    }

    /** Write-class commands are refused: readonly option, read-only storage or software write protect. */
    public boolean writeProtected() {
        return optionEnabled("readonly", type != LunType.DIRECT) || storage.readOnly()
                || modePages.softwareWriteProtect();
    }

    public boolean removable() {
        return optionEnabled("removable", type == LunType.CDROM);
    }

    /** START STOP UNIT stopped the unit: medium access gets NOT READY 04h/02h. */
    public boolean stopped() {
        return stopped;
    }

    public void setStopped(boolean stopped) {
        this.stopped = stopped;
    }

    /** START STOP UNIT with LOEJ took the medium out (removable LUNs): medium access gets NOT READY 3Ah/02h. */
    public boolean ejected() {
        return ejected;
    }

    public void setEjected(boolean ejected) {
        this.ejected = ejected;
    }

    @Override
    public String toString() {
        return "lun " + id;
    }
}

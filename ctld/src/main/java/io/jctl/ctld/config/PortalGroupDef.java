package io.jctl.ctld.config;

import io.jctl.iscsi.PortalGroup;

import java.util.Map;

/**
 * A portal group with the CTL port options its ports get ({@code options} in the config).
 */
public record PortalGroupDef(PortalGroup group, Map<String, String> options) {
    public PortalGroupDef {
        options = Map.copyOf(options);
    }

    public String name() {
        return group.name();
    }
}

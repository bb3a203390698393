package io.jctl.ctld.config;

import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.PortalGroup;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked configuration: every reference resolved, every value in range. What the daemon builds from it can
 * still fail (a backing file that cannot be opened), but never because of the document's shape.
 *
 * @param source       the file it came from, or {@code embedded default}
 * @param authGroups   auth groups by name, predefined ones included
 * @param portalGroups portal groups by name, in document order
 * @param luns         LUNs by name, in the order they are to be created (named ones first, then inline ones)
 * @param targets      targets in document order
 * @param loginTimeout iSCSI login timeout ({@code timeout})
 * @param debug        {@code debug} level: 0 normal logging, 1 or more debug logging of jctl
 * @param warnings     things that work but are probably not meant (short CHAP secrets, unused portal groups)
 */
public record CtldConfig(String source, Map<String, AuthGroup> authGroups, Map<String, PortalGroupDef> portalGroups,
                         Map<String, LunDef> luns, List<TargetDef> targets, Duration loginTimeout,
                         int debug, List<String> warnings) {
    public CtldConfig {
        authGroups = Collections.unmodifiableMap(new LinkedHashMap<>(authGroups));
        portalGroups = Collections.unmodifiableMap(new LinkedHashMap<>(portalGroups));
        luns = Collections.unmodifiableMap(new LinkedHashMap<>(luns));
        targets = List.copyOf(targets);
        warnings = List.copyOf(warnings);
    }

    /** Portal groups some target uses: the ones the daemon listens on. */
    public List<PortalGroupDef> usedPortalGroups() {
        List<PortalGroupDef> used = new ArrayList<>();
        for (PortalGroupDef pg : portalGroups.values()) {
            if (targets.stream().anyMatch(t -> t.portalGroups().contains(pg.name()))) {
                used.add(pg);
            }
        }
        return used;
    }

    /** The same configuration with the {@code default} portal group listening on {@code listen} instead. */
    public CtldConfig withDefaultListen(List<InetSocketAddress> listen) {
        Map<String, PortalGroupDef> pgs = new LinkedHashMap<>(portalGroups);
        PortalGroupDef def = pgs.get(ConfigParser.DEFAULT_GROUP);
        PortalGroup g = def.group();
        pgs.put(ConfigParser.DEFAULT_GROUP,
                new PortalGroupDef(new PortalGroup(g.name(), g.tag(), listen, g.discoveryAuth()), def.options()));
        return new CtldConfig(source, authGroups, pgs, luns, targets, loginTimeout, debug, warnings);
    }
}

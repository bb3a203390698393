package io.jctl.ctld.config;

import io.jctl.iscsi.AuthGroup;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A target as configured.
 *
 * @param name         target IQN
 * @param alias        TargetAlias, or null
 * @param auth         who may log in
 * @param portalGroups names of the portal groups it is reachable through (one core port each)
 * @param luns         target LUN number to LUN name (see {@link CtldConfig#luns()})
 * @param lunMap       true: the ports show exactly {@code luns}; false: the ports' LUN maps are off and every core
 *                     LUN is visible under its own number (the embedded default target)
 */
public record TargetDef(String name, String alias, AuthGroup auth, List<String> portalGroups,
                        SortedMap<Integer, String> luns, boolean lunMap) {
    public TargetDef {
        portalGroups = List.copyOf(portalGroups);
        luns = Collections.unmodifiableSortedMap(new TreeMap<>(luns));
    }

    public TargetDef(String name, String alias, AuthGroup auth, List<String> portalGroups, Map<Integer, String> luns,
                     boolean lunMap) {
        this(name, alias, auth, portalGroups, new TreeMap<>(luns), lunMap);
    }
}

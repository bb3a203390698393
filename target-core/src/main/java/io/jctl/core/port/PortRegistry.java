package io.jctl.core.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The target's ports, numbered from 1 in the order they are created. */
public final class PortRegistry {
    private final ConcurrentSkipListMap<Integer, Port> ports = new ConcurrentSkipListMap<>();
    private int nextId = 1;

    public synchronized Port create(String frontend, String targetName, int portalGroupTag,
                                    Map<String, String> options) {
        for (Port p : ports.values()) {
            if (p.frontend().equals(frontend) && p.targetName().equals(targetName)
                    && p.portalGroupTag() == portalGroupTag) {
                throw new IllegalArgumentException("port " + p.portName() + " exists");
            }
        }
        Port port = new Port(nextId++, frontend, targetName, portalGroupTag, options);
        ports.put(port.id(), port);
        return port;
    }

    public Optional<Port> get(int id) {
        return Optional.ofNullable(ports.get(id));
    }

    public List<Port> list() {
        return List.copyOf(ports.values());
    }

    public void remove(int id) {
        ports.remove(id);
    }
}

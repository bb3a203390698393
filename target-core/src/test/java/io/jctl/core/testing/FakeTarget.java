package io.jctl.core.testing;

import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.dispatch.TargetView;
import io.jctl.core.lun.Lun;
import io.jctl.core.port.Port;
import io.jctl.core.task.Nexus;
import io.jctl.core.ua.UnitAttention;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** A target view over fixed LUNs and ports that records the unit attentions handlers raise. */
public final class FakeTarget implements TargetView {
    public record RaisedUa(Lun lun, UnitAttention ua, Nexus except) {
    }

    private final OpcodeTable table;
    private final List<Port> ports;
    public final List<RaisedUa> raised = new ArrayList<>();

    public FakeTarget(OpcodeTable table, List<Port> ports) {
        this.table = table;
        this.ports = ports;
    }

    @Override
    public SortedMap<Integer, Lun> visibleLuns(Port port) {
        return new TreeMap<>();
    }

    @Override
    public OpcodeTable opcodes() {
        return table;
    }

    @Override
    public List<Port> portsOf(Lun lun) {
        return ports;
    }

    @Override
    public synchronized void raiseUnitAttention(Lun lun, UnitAttention ua, Nexus except) {
        raised.add(new RaisedUa(lun, ua, except));
    }

    @Override
    public java.util.Optional<UnitAttention> takeUnitAttention(Lun lun, Nexus nexus) {
        return java.util.Optional.empty();
    }

    @Override
    public void clearReportedLunsChanged(Nexus nexus) {
    }
}

package io.jctl.core.tpc;

import io.jctl.core.dispatch.LunState;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.SenseData;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.task.Nexus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The copy operations of one copy manager LUN (CTL's per-LUN {@code tpc_lists}). A list identifier is unique per
 * initiator port among copies in progress; a finished copy stays available for 60 s or until its status or failure
 * details are read; copies with LIST ID USAGE 11b are forgotten as soon as they end. A LUN reset forgets every
 * finished copy, an I_T nexus reset or loss those of that initiator port, as CTL does.
 */
public final class CopyOperations implements LunState {
    private final LongSupplier nanoClock;
    private final List<CopyOperation> operations = new ArrayList<>();

    /** @param nanoClock monotonic time in nanoseconds (tests inject their own) */
    public CopyOperations(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /**
     * Registers a new copy.
     *
     * @throws ScsiException OPERATION IN PROGRESS (00h/16h) when the initiator port already runs a copy with this
     *                       list identifier; INSUFFICIENT RESOURCES (55h/03h) when too many copies run
     */
    public synchronized CopyOperation start(Nexus nexus, CopyDescriptors list) {
        expire();
        int running = 0;
        for (CopyOperation op : operations) {
            if (!op.ended()) {
                running++;
                if (list.tracked() && op.tracked() && sameList(op, nexus.initiatorPort(), list.listId())) {
                    throw ScsiException.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x00, 0x16);
                }
            }
        }
        if (running >= CopyLimits.MAX_CONCURRENT_COPIES) {
            throw ScsiException.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x55, 0x03);
        }
        if (list.tracked()) {
            operations.removeIf(op -> op.ended() && sameList(op, nexus.initiatorPort(), list.listId()));
        }
        CopyOperation op = new CopyOperation(nexus.initiatorPort(), list.listId(), list.serviceAction(),
                list.tracked());
        operations.add(op);
        return op;
    }

    /** Records how a copy ended; untracked copies are dropped at once. */
    public synchronized void end(CopyOperation op, CopyOperation.State how, SenseData failure) {
        op.end(how, failure, now());
        if (!op.tracked()) {
            operations.remove(op);
        }
    }

    /** The tracked copy of {@code nexus}'s initiator port with this list identifier, or null. */
    public synchronized CopyOperation find(Nexus nexus, long listId) {
        expire();
        for (CopyOperation op : operations) {
            if (op.tracked() && sameList(op, nexus.initiatorPort(), listId)) {
                return op;
            }
        }
        return null;
    }

    /** Forgets a finished copy whose results were delivered. */
    public synchronized void forget(CopyOperation op) {
        if (op.ended()) {
            operations.remove(op);
        }
    }

    /** Copies still running (all initiators). */
    public synchronized int running() {
        int n = 0;
        for (CopyOperation op : operations) {
            if (!op.ended()) {
                n++;
            }
        }
        return n;
    }

    /** Copies known, running or finished and not yet forgotten. */
    public synchronized int size() {
        expire();
        return operations.size();
    }

    private void expire() {
        long now = now();
        for (Iterator<CopyOperation> it = operations.iterator(); it.hasNext(); ) {
            CopyOperation op = it.next();
            if (op.ended() && now - op.endedAt() >= CopyLimits.RETENTION_NANOS) {
                it.remove();
            }
        }
    }

    private static boolean sameList(CopyOperation op, String initiatorPort, long listId) {
        return op.listId() == listId && op.initiatorPort().equals(initiatorPort);
    }

    @Override
    public synchronized void lunReset() {
        operations.removeIf(CopyOperation::ended);
    }

    @Override
    public synchronized void nexusReset(Nexus nexus) {
        operations.removeIf(op -> op.ended() && op.initiatorPort().equals(nexus.initiatorPort()));
    }
}

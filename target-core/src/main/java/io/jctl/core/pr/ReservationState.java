package io.jctl.core.pr;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.dispatch.LunState;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.scsi.SenseKey;
import io.jctl.core.task.Nexus;
import io.jctl.core.ua.UnitAttention;
import io.jctl.core.ua.UnitAttentions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The reservations of one LUN (ctl-facts §6): the SPC-2 RESERVE holder and the persistent reservation state
 * (registrations, reservation, PRgeneration, APTPL). Changes are serialized by a lock (the RES serialization class
 * already orders PERSISTENT RESERVE OUT behind everything); the conflict check on every command reads immutable
 * snapshots without locking.
 *
 * <p>Resets clear the SPC-2 reservation only; persistent reservations survive them. With APTPL the persistent
 * state is saved through the {@link ReservationStore} before a change takes effect; a failed save leaves the state
 * as it was.
 */
public final class ReservationState implements LunState {
    private static final Logger log = LoggerFactory.getLogger(ReservationState.class);

    static final ScsiException CONFLICT = ScsiException.status(ScsiStatus.RESERVATION_CONFLICT);

    /** The persistent reservation state as one immutable value. */
    record Pr(Map<Nexus, Long> keys, PrType type, Nexus holder, long generation, boolean aptpl) {
        static final Pr EMPTY = new Pr(Map.of(), null, null, 0, false);

        boolean reserved() {
            return type != null;
        }

        /** A holder of the reservation: every registrant for all-registrants types, else the one holder. */
        boolean holds(Nexus n) {
            return type != null && (type.allRegistrants() ? keys.containsKey(n) : n.equals(holder));
        }
    }

    /** PERSISTENT RESERVE OUT service actions this state carries out. */
    public enum Action { REGISTER, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT_AND_ABORT, REGISTER_AND_IGNORE }

    private final Lun lun;
    private final String storeKey;
    private final ReservationStore store;
    private final TaskAborter aborter;
    private final UnitAttentions unitAttentions;
    private volatile Nexus spc2Holder;
    private volatile Pr pr = Pr.EMPTY;

    ReservationState(Lun lun, UnitAttentions unitAttentions, ReservationStore store, TaskAborter aborter) {
        this.lun = lun;
        this.storeKey = storeKey(lun);
        this.store = store;
        this.aborter = aborter;
        this.unitAttentions = unitAttentions;
    }

    /**
     * Attaches reservations to a new LUN and restores what its store saved under APTPL. An unreadable or
     * inconsistent saved state is logged and ignored: the LUN comes up without reservations.
     */
    public static ReservationState attach(LunContext ctx, ReservationStore store, TaskAborter aborter) {
        ReservationState st = ctx.state(ReservationState.class,
                () -> new ReservationState(ctx.lun(), ctx.unitAttentions(), store, aborter));
        st.restore();
        return st;
    }

    /** The state attached to a LUN by {@link #attach} (the precheck calls this for every command: no allocation). */
    public static ReservationState of(LunContext ctx) {
        return ctx.state(ReservationState.class, ReservationState::notAttached);
    }

    private static ReservationState notAttached() {
        throw new IllegalStateException("no reservation state attached to this LUN (TargetCore.createLun does it)");
    }

    /** The key a LUN's saved reservations go under: its VPD 83h device identification, stable across restarts. */
    public static String storeKey(Lun lun) {
        return lun.identity().deviceId();
    }

    private void restore() {
        Optional<SavedReservations> saved;
        try {
            saved = store.load(storeKey);
            saved.ifPresent(SavedReservations::validate);
        } catch (IOException | RuntimeException e) {
            log.error("{}: saved persistent reservations ({}) cannot be used, starting without any: {}", lun,
                    storeKey, e.getMessage());
            return;
        }
        if (saved.isEmpty()) {
            return;
        }
        SavedReservations s = saved.get();
        Map<Nexus, Long> keys = new LinkedHashMap<>();
        Nexus holder = null;
        for (SavedReservations.Registrant r : s.registrants()) {
            Nexus n = new Nexus(r.initiatorName(), r.initiatorPort(), r.relativeTargetPort());
            keys.put(n, r.key());
            if (r.holder()) {
                holder = n;
            }
        }
        synchronized (this) {
            pr = new Pr(Collections.unmodifiableMap(keys), PrType.of(s.reservationType()), holder, s.generation(),
                    true);
        }
        log.info("{}: restored {} registration(s){} saved with APTPL", lun, keys.size(),
                s.reservationType() == 0 ? "" : " and a " + PrType.of(s.reservationType()) + " reservation");
    }

    // ---- what commands see ----

    /** True when APTPL can be honoured (REPORT CAPABILITIES PTPL_C). */
    public boolean persistenceCapable() {
        return store.persistent();
    }

    Pr snapshot() {
        return pr;
    }

    /** The SPC-2 reservation holder, or null. */
    public Nexus spc2Holder() {
        return spc2Holder;
    }

    /**
     * The precheck (ctl-facts §1.3 step 7, §6): RESERVATION CONFLICT for a nexus the SPC-2 or persistent
     * reservation shuts out, unless the command's row allows it. Null to let the command through.
     */
    public ScsiException check(OpcodeEntry entry, Nexus nexus) {
        Nexus spc2 = spc2Holder;
        if (spc2 != null && !spc2.equals(nexus) && !entry.has(CommandFlag.ALLOW_ON_RESV)) {
            log.debug("{}: {} from {} refused: reserved (RESERVE) by {}", lun, entry.name(),
                    nexus.initiatorPort(), spc2.initiatorPort());
            return CONFLICT;
        }
        Pr p = pr;
        if (p.type == null || entry.has(CommandFlag.ALLOW_ON_PR_RESV)) {
            return null;
        }
        boolean registered = p.keys.containsKey(nexus);
        if (registered && (p.type.registrantsHaveAccess() || nexus.equals(p.holder))) {
            return null;
        }
        if (p.type.writeExclusive() && entry.has(CommandFlag.ALLOW_ON_PR_WRESV)) {
            return null;
        }
        log.debug("{}: {} from {} refused: {} persistent reservation, {}", lun, entry.name(),
                nexus.initiatorPort(), p.type, registered ? "not the holder" : "not registered");
        return CONFLICT;
    }

    // ---- SPC-2 RESERVE / RELEASE ----

    /**
     * RESERVE(6/10): the nexus becomes the holder. Another holder gets RESERVATION CONFLICT; with a persistent
     * reservation in place it succeeds without effect (SPC-3 compatible reservation handling, CRH=1).
     */
    public synchronized void reserve(Nexus nexus) {
        Nexus current = spc2Holder;
        if (current != null && !current.equals(nexus)) {
            log.debug("{}: RESERVE from {} refused: reserved by {}", lun, nexus.initiatorPort(),
                    current.initiatorPort());
            throw CONFLICT;
        }
        if (pr.reserved()) {
            log.debug("{}: RESERVE from {} ignored: a persistent reservation exists", lun, nexus.initiatorPort());
            return;
        }
        if (current == null) {
            spc2Holder = nexus;
            log.info("{}: reserved (RESERVE) by {}", lun, nexus.initiatorPort());
        }
    }

    /** RELEASE(6/10): only the holder's release has an effect; anyone else's is a silent success. */
    public synchronized void release(Nexus nexus) {
        if (nexus.equals(spc2Holder)) {
            spc2Holder = null;
            log.info("{}: released (RELEASE) by {}", lun, nexus.initiatorPort());
        }
    }

    @Override
    public synchronized void lunReset() {
        if (spc2Holder != null) {
            log.info("{}: RESERVE of {} cleared by reset", lun, spc2Holder.initiatorPort());
            spc2Holder = null;
        }
    }

    @Override
    public synchronized void nexusReset(Nexus nexus) {
        if (nexus.equals(spc2Holder)) {
            log.info("{}: RESERVE of {} cleared by its I_T nexus reset or loss", lun, nexus.initiatorPort());
            spc2Holder = null;
        }
    }

    // ---- PERSISTENT RESERVE OUT ----

    /**
     * Carries out a PERSISTENT RESERVE OUT whose CDB and parameter list were checked (SPC-4 5.14, ctl-facts §6.3).
     *
     * @param type  the TYPE field, already checked for the service actions that use it
     * @param aptpl the APTPL bit (REGISTER and REGISTER AND IGNORE EXISTING KEY only)
     * @return completes when the change is in effect (PREEMPT AND ABORT: once the preempted tasks are gone)
     * @throws ScsiException RESERVATION CONFLICT, INVALID RELEASE OF PERSISTENT RESERVATION, INVALID FIELD IN
     *                       PARAMETER LIST, or INTERNAL TARGET FAILURE when an APTPL save failed
     */
    public CompletableFuture<Void> persistentOut(Action action, Nexus me, long key, long saKey, PrType type,
                                                 boolean aptpl) {
        Change change;
        synchronized (this) {
            Pr before = pr;
            change = decide(before, action, me, key, saKey, type, aptpl);
            if (change.after != before) {
                persist(before, change.after);
                pr = change.after;
            }
        }
        change.log.forEach(line -> log.info("{}: {}", lun, line));
        change.unitAttentions.forEach((n, ua) -> ua.forEach(u -> unitAttentions.raise(n, u)));
        if (action == Action.PREEMPT_AND_ABORT && !change.preempted.isEmpty()) {
            return aborter.abort(change.preempted, me);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** What a service action does: the state after it, the UAs to raise, the nexuses it preempted. */
    private static final class Change {
        Pr after;
        final Map<Nexus, List<UnitAttention>> unitAttentions = new LinkedHashMap<>();
        final Set<Nexus> preempted = new LinkedHashSet<>();
        final List<String> log = new ArrayList<>();

        Change(Pr before) {
            after = before;
        }

        void ua(Nexus n, UnitAttention ua) {
            unitAttentions.computeIfAbsent(n, k -> new ArrayList<>()).add(ua);
        }
    }

    private Change decide(Pr before, Action action, Nexus me, long key, long saKey, PrType type, boolean aptpl) {
        Long mine = before.keys.get(me);
        if (action != Action.REGISTER_AND_IGNORE) {
            if (mine != null ? key != mine : key != 0 || action != Action.REGISTER) {
                log.debug("{}: PERSISTENT RESERVE OUT {} from {} refused: reservation key 0x{} {}", lun, action,
                        me.initiatorPort(), Long.toHexString(key),
                        mine == null ? "but not registered" : "does not match the registered one");
                throw CONFLICT;
            }
        }
        Change c = new Change(before);
        switch (action) {
            case REGISTER, REGISTER_AND_IGNORE -> register(c, before, me, mine, saKey, aptpl);
            case RESERVE -> reserve(c, before, me, type);
            case RELEASE -> release(c, before, me, type);
            case CLEAR -> clear(c, before, me);
            case PREEMPT, PREEMPT_AND_ABORT -> preempt(c, before, me, saKey, type);
        }
        return c;
    }

    private void register(Change c, Pr before, Nexus me, Long mine, long saKey, boolean aptpl) {
        if (saKey == 0) {
            if (mine == null) {
                return;
            }
            Map<Nexus, Long> keys = new LinkedHashMap<>(before.keys);
            keys.remove(me);
            PrType type = before.type;
            Nexus holder = before.holder;
            if (before.holds(me) && (!type.allRegistrants() || keys.isEmpty())) {
                if (type.registrantsHaveAccess() && !type.allRegistrants()) {
                    keys.keySet().forEach(n -> c.ua(n, UnitAttention.RESERVATIONS_RELEASED));
                }
                c.log.add(type + " reservation released: its holder " + me.initiatorPort() + " unregistered");
                type = null;
                holder = null;
            }
            c.after = new Pr(freeze(keys), type, holder, next(before), before.aptpl);
            c.log.add(me.initiatorPort() + " unregistered");
            return;
        }
        Map<Nexus, Long> keys = new LinkedHashMap<>(before.keys);
        keys.put(me, saKey);
        c.after = new Pr(freeze(keys), before.type, before.holder, next(before), aptpl);
        c.log.add(me.initiatorPort() + " registered key 0x" + Long.toHexString(saKey)
                + (aptpl ? " (APTPL)" : ""));
    }

    private void reserve(Change c, Pr before, Nexus me, PrType type) {
        if (before.reserved()) {
            if (!before.holds(me) || before.type != type) {
                log.debug("{}: PERSISTENT RESERVE OUT RESERVE {} from {} refused: {} reservation held by {}", lun,
                        type, me.initiatorPort(), before.type,
                        before.type.allRegistrants() ? "all registrants" : before.holder.initiatorPort());
                throw CONFLICT;
            }
            return;
        }
        c.after = new Pr(before.keys, type, type.allRegistrants() ? null : me, before.generation, before.aptpl);
        c.log.add(type + " reservation taken by " + me.initiatorPort());
    }

    private void release(Change c, Pr before, Nexus me, PrType type) {
        if (!before.holds(me)) {
            return;
        }
        if (before.type != type) {
            log.debug("{}: PERSISTENT RESERVE OUT RELEASE {} from {} refused: the reservation is {}", lun, type,
                    me.initiatorPort(), before.type);
            throw ScsiException.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x26, 0x04);
        }
        if (type.registrantsHaveAccess()) {
            before.keys.keySet().stream().filter(n -> !n.equals(me))
                    .forEach(n -> c.ua(n, UnitAttention.RESERVATIONS_RELEASED));
        }
        c.after = new Pr(before.keys, null, null, before.generation, before.aptpl);
        c.log.add(type + " reservation released by " + me.initiatorPort());
    }

    private void clear(Change c, Pr before, Nexus me) {
        before.keys.keySet().stream().filter(n -> !n.equals(me))
                .forEach(n -> c.ua(n, UnitAttention.RESERVATIONS_PREEMPTED));
        c.after = new Pr(Map.of(), null, null, next(before), before.aptpl);
        c.log.add("cleared by " + me.initiatorPort() + ": " + before.keys.size() + " registration(s)"
                + (before.reserved() ? " and the " + before.type + " reservation" : "") + " removed");
    }

    private void preempt(Change c, Pr before, Nexus me, long saKey, PrType type) {
        Map<Nexus, Long> keys = new LinkedHashMap<>(before.keys);
        PrType newType = before.type;
        Nexus newHolder = before.holder;
        boolean takesReservation;
        if (!before.reserved()) {
            takesReservation = false;
        } else if (before.type.allRegistrants()) {
            takesReservation = saKey == 0;
        } else {
            takesReservation = saKey == before.keys.get(before.holder);
        }
        if (saKey == 0 && !takesReservation) {
            log.debug("{}: PREEMPT from {} refused: service action reservation key 0 without an all-registrants"
                    + " reservation", lun, me.initiatorPort());
            throw ScsiException.invalidFieldInParameterList(8, -1);
        }
        for (Map.Entry<Nexus, Long> e : before.keys.entrySet()) {
            Nexus n = e.getKey();
            if (!n.equals(me) && (saKey == 0 || e.getValue() == saKey)) {
                keys.remove(n);
                c.preempted.add(n);
                c.ua(n, UnitAttention.REGISTRATIONS_PREEMPTED);
            }
        }
        if (takesReservation) {
            if (type != before.type && !before.type.allRegistrants()) {
                keys.keySet().stream().filter(n -> !n.equals(me))
                        .forEach(n -> c.ua(n, UnitAttention.RESERVATIONS_RELEASED));
            }
            newType = type;
            newHolder = type.allRegistrants() ? null : me;
            c.log.add(before.type + " reservation preempted by " + me.initiatorPort() + ", now " + type);
        } else if (c.preempted.isEmpty()) {
            log.debug("{}: PREEMPT from {} refused: no registration has key 0x{}", lun, me.initiatorPort(),
                    Long.toHexString(saKey));
            throw CONFLICT;
        }
        c.after = new Pr(freeze(keys), newType, newHolder, next(before), before.aptpl);
        if (!c.preempted.isEmpty()) {
            c.log.add(me.initiatorPort() + " preempted the registration(s) of "
                    + c.preempted.stream().map(Nexus::initiatorPort).toList());
        }
    }

    /**
     * REGISTER AND MOVE (SPC-4 5.14.8): the holder registers {@code destination} with {@code saKey} and hands it
     * the reservation (same scope and type); with {@code unregister} the holder's own registration goes.
     *
     * @throws ScsiException RESERVATION CONFLICT when the caller is not registered with {@code key}, no
     *                       reservation exists, it is of an All Registrants type, or the caller does not hold it;
     *                       INVALID FIELD IN PARAMETER LIST for a zero SA key (byte 8) or the caller itself as the
     *                       destination (byte 24); INTERNAL TARGET FAILURE when an APTPL save failed
     */
    public void registerAndMove(Nexus me, long key, long saKey, Nexus destination, boolean unregister,
                                boolean aptpl) {
        String moved;
        synchronized (this) {
            Pr before = pr;
            Long mine = before.keys.get(me);
            String refusal = mine == null ? "not registered"
                    : key != mine ? "reservation key does not match the registered one"
                    : !before.reserved() ? "there is no reservation"
                    : before.type.allRegistrants() ? "an " + before.type + " reservation cannot move"
                    : !me.equals(before.holder) ? "not the reservation holder" : null;
            if (refusal != null) {
                log.debug("{}: REGISTER AND MOVE from {} refused: {}", lun, me.initiatorPort(), refusal);
                throw CONFLICT;
            }
            if (saKey == 0) {
                log.debug("{}: REGISTER AND MOVE from {} refused: service action reservation key 0", lun,
                        me.initiatorPort());
                throw ScsiException.invalidFieldInParameterList(8, -1);
            }
            if (destination.equals(me)) {
                log.debug("{}: REGISTER AND MOVE from {} refused: it names itself", lun, me.initiatorPort());
                throw ScsiException.invalidFieldInParameterList(24, -1);
            }
            Map<Nexus, Long> keys = new LinkedHashMap<>(before.keys);
            keys.put(destination, saKey);
            if (unregister) {
                keys.remove(me);
            }
            Pr after = new Pr(freeze(keys), before.type, destination, next(before), aptpl);
            persist(before, after);
            pr = after;
            moved = before.type + " reservation moved from " + me.initiatorPort() + " to "
                    + destination.initiatorPort() + " (relative port " + destination.portId() + "), key 0x"
                    + Long.toHexString(saKey) + (unregister ? "; the old holder unregistered" : "")
                    + (aptpl ? " (APTPL)" : "");
        }
        log.info("{}: {}", lun, moved);
    }

    private static long next(Pr p) {
        return (p.generation + 1) & 0xffffffffL;
    }

    private static Map<Nexus, Long> freeze(Map<Nexus, Long> keys) {
        return Collections.unmodifiableMap(keys);
    }

    /** Saves or forgets the state as APTPL asks before it takes effect. */
    private void persist(Pr before, Pr after) {
        boolean keep = after.aptpl && !after.keys.isEmpty();
        if (!keep && !before.aptpl) {
            return;
        }
        try {
            if (keep) {
                store.save(storeKey, saved(after));
            } else {
                store.delete(storeKey);
                if (before.aptpl && !after.aptpl) {
                    log.info("{}: APTPL turned off; saved reservations deleted", lun);
                }
            }
        } catch (IOException e) {
            log.error("{}: cannot save persistent reservations ({}); the change is refused: {}", lun, storeKey,
                    e.getMessage());
            throw ScsiException.internalTargetFailure();
        }
    }

    static SavedReservations saved(Pr p) {
        List<SavedReservations.Registrant> rs = new ArrayList<>();
        p.keys.forEach((n, k) -> rs.add(new SavedReservations.Registrant(n.initiatorName(), n.initiatorPort(),
                n.portId(), k, n.equals(p.holder))));
        return new SavedReservations(p.generation, p.type == null ? 0 : p.type.code(), rs);
    }
}

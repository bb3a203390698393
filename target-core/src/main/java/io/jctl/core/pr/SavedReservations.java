package io.jctl.core.pr;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A LUN's persistent reservations as saved for APTPL: PRgeneration, every registration and the reservation.
 *
 * @param generation      PRgeneration
 * @param reservationType TYPE code of the reservation, 0 when there is none
 * @param registrants     registrations in registration order
 */
public record SavedReservations(long generation, int reservationType, List<Registrant> registrants) {

    /**
     * One registered I_T nexus.
     *
     * @param initiatorName    iSCSI initiator name
     * @param initiatorPort    initiator port ({@code <name>,i,0x<ISID>})
     * @param relativeTargetPort relative target port id the nexus goes through
     * @param key              its reservation key (never 0)
     * @param holder           it holds the reservation (never set for all-registrants types)
     */
    public record Registrant(String initiatorName, String initiatorPort, int relativeTargetPort, long key,
                             boolean holder) {
    }

    public SavedReservations {
        registrants = List.copyOf(registrants);
    }

    /**
     * Checks that the state is one this target could have saved.
     *
     * @throws IllegalArgumentException naming the first inconsistency
     */
    public void validate() {
        if (generation < 0 || generation > 0xffffffffL) {
            throw new IllegalArgumentException("generation " + generation + " is not a 32-bit value");
        }
        PrType type = reservationType == 0 ? null : PrType.of(reservationType);
        if (reservationType != 0 && type == null) {
            throw new IllegalArgumentException("reservation type " + reservationType + " is not supported");
        }
        Set<String> seen = new HashSet<>();
        int holders = 0;
        for (Registrant r : registrants) {
            if (r.initiatorName() == null || r.initiatorPort() == null || r.initiatorPort().isEmpty()) {
                throw new IllegalArgumentException("a registration lacks its initiator");
            }
            if (r.key() == 0) {
                throw new IllegalArgumentException("registration of " + r.initiatorPort() + " has key 0");
            }
            if (r.relativeTargetPort() < 1 || r.relativeTargetPort() > 0xffff) {
                throw new IllegalArgumentException("relative target port " + r.relativeTargetPort()
                        + " is out of range");
            }
            if (!seen.add(r.initiatorPort() + "\n" + r.relativeTargetPort())) {
                throw new IllegalArgumentException(r.initiatorPort() + " is registered twice");
            }
            if (r.holder()) {
                holders++;
            }
        }
        if (type == null && holders > 0) {
            throw new IllegalArgumentException("a holder without a reservation");
        }
        if (type != null && type.allRegistrants() && (holders > 0 || registrants.isEmpty())) {
            throw new IllegalArgumentException("an all-registrants reservation names a holder or has no registrants");
        }
        if (type != null && !type.allRegistrants() && holders != 1) {
            throw new IllegalArgumentException("reservation " + type + " has " + holders + " holders");
        }
    }
}

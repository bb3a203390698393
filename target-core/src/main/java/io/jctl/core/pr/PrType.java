package io.jctl.core.pr;

/** Persistent reservation types (SPC-4 table "Persistent reservation type codes"), the six CTL supports. */
public enum PrType {
    WRITE_EXCLUSIVE(0x1, "WR_EX"),
    EXCLUSIVE_ACCESS(0x3, "EX_AC"),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5, "WR_EX_RO"),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6, "EX_AC_RO"),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7, "WR_EX_AR"),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8, "EX_AC_AR");

    private final int code;
    private final String label;

    PrType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The TYPE field value. */
    public int code() {
        return code;
    }

    /** The type with this TYPE field value, or null when the code is reserved or unsupported. */
    public static PrType of(int code) {
        for (PrType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Write Exclusive family: non-holders may still run read-type commands (ALLOW_ON_PR_WRESV). */
    public boolean writeExclusive() {
        return this == WRITE_EXCLUSIVE || this == WRITE_EXCLUSIVE_REGISTRANTS_ONLY
                || this == WRITE_EXCLUSIVE_ALL_REGISTRANTS;
    }

    /** Every registrant is a reservation holder (the RESERVATION KEY reported is zero). */
    public boolean allRegistrants() {
        return this == WRITE_EXCLUSIVE_ALL_REGISTRANTS || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    /** Registrants Only or All Registrants: every registrant has the holder's access. */
    public boolean registrantsHaveAccess() {
        return this != WRITE_EXCLUSIVE && this != EXCLUSIVE_ACCESS;
    }

    @Override
    public String toString() {
        return label;
    }
}

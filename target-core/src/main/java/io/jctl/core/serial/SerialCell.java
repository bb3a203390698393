package io.jctl.core.serial;

/** One cell of the serialization table (ctl-facts §2.2): what a new command does about one older command. */
public enum SerialCell {
    /** pS: no ordering constraint. */
    PASS("pS"),
    /** bK: wait until the older command completes. */
    BLOCK("bK"),
    /** bO: block, unless the queue algorithm modifier allows unrestricted reordering. */
    BLOCK_OPT("bO"),
    /** xT: block only if the LBA ranges overlap. */
    EXTENT("xT"),
    /** xO: extent check, unless the queue algorithm modifier allows unrestricted reordering. */
    EXTENT_OPT("xO"),
    /** xS: sequential check (READ after READ), steered by the LUN's serseq option. */
    SEQUENTIAL("xS");

    private final String code;

    SerialCell(String code) {
        this.code = code;
    }

    /** The two-letter code used in CTL's table and in ctl-facts. */
    public String code() {
        return code;
    }

    static SerialCell ofCode(String code) {
        for (SerialCell c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown serialization cell " + code);
    }
}

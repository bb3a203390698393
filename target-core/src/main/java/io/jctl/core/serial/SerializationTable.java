package io.jctl.core.serial;

/**
 * CTL's serialization matrix (ctl-facts §2.3), kept as the same text table: row = the NEW command's class,
 * column = the OLDER command's class, both in {@link SerializationClass} declaration order.
 */
public final class SerializationTable {
    private static final String[] ROWS = {
        //          TUR RD  WRT UNM SYN MDSN MDSL RQSN INQ RDCP RES LSNS FMT STR
        /* TUR   */ "pS pS pS pS pS bK bK pS pS pS bK pS pS bK",
        /* READ  */ "pS xS xT xO pS bK bK pS pS pS bK pS bK bK",
        /* WRITE */ "pS xT xT xO pS bK bK pS pS pS bK pS bK bK",
        /* UNMAP */ "pS bO bO pS pS bK bK pS pS pS bK pS bK bK",
        /* SYNC  */ "pS pS bO pS pS bK bK pS pS pS bK pS bK bK",
        /* MDSNS */ "bK bK bK bK bK pS bK pS pS pS bK pS bK bK",
        /* MDSEL */ "bK bK bK bK bK bK bK pS pS pS bK bK bK bK",
        /* RQSNS */ "bK bK bK bK bK bK bK bK bK bK bK bK pS bK",
        /* INQ   */ "pS pS pS pS pS pS pS pS pS pS pS pS pS pS",
        /* RDCAP */ "pS pS pS pS pS pS pS pS pS pS bK pS bK bK",
        /* RES   */ "bK bK bK bK bK bK bK bK pS pS bK bK bK bK",
        /* LSNS  */ "pS pS pS pS pS pS pS pS pS pS bK pS bK bK",
        /* FMT   */ "bK bK bK bK bK bK bK bK bK bK bK bK bK bK",
        /* START */ "bK bK bK bK bK bK bK bK bK pS bK bK bK bK",
    };

    private static final SerialCell[][] CELLS = parse();

    private SerializationTable() {
    }

    private static SerialCell[][] parse() {
        int n = SerializationClass.values().length;
        if (ROWS.length != n) {
            throw new IllegalStateException("serialization table has " + ROWS.length + " rows, expected " + n);
        }
        SerialCell[][] cells = new SerialCell[n][n];
        for (int r = 0; r < n; r++) {
            String[] codes = ROWS[r].trim().split("\\s+");
            if (codes.length != n) {
                throw new IllegalStateException("serialization table row " + r + " has " + codes.length + " cells");
            }
            for (int c = 0; c < n; c++) {
                cells[r][c] = SerialCell.ofCode(codes[c]);
            }
        }
        return cells;
    }

    /** What a new command of class {@code newer} does about an older one of class {@code older}. */
    public static SerialCell cell(SerializationClass newer, SerializationClass older) {
        return CELLS[newer.ordinal()][older.ordinal()];
    }
}

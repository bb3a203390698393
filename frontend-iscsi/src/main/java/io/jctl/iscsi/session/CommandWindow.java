package io.jctl.iscsi.session;

/**
 * The session's command numbering (RFC 7143 §4.2.2): ExpCmdSN, and a MaxCmdSN that leaves {@code window} commands
 * of room minus those still outstanding, as CTL's maxtags does. MaxCmdSN never moves backwards.
 */
final class CommandWindow {
    /** What to do with a non-immediate command. */
    enum Verdict {
        /** CmdSN == ExpCmdSN: deliver it now. */
        DELIVER,
        /** Outside [ExpCmdSN, MaxCmdSN]: drop silently (RFC 7143 §4.2.2.1). */
        IGNORE,
        /** Inside the window but ahead of ExpCmdSN: a lost command, fatal without error recovery (CTL). */
        GAP
    }

    private final int window;
    private int expCmdSn;
    private int maxCmdSn;

    CommandWindow(int initialCmdSn, int window) {
        this.window = window;
        this.expCmdSn = initialCmdSn;
        this.maxCmdSn = initialCmdSn + window - 1;
    }

    static boolean before(int a, int b) {
        return a - b < 0;
    }

    Verdict check(int cmdSn) {
        if (cmdSn == expCmdSn) {
            return Verdict.DELIVER;
        }
        if (before(cmdSn, expCmdSn) || before(maxCmdSn, cmdSn)) {
            return Verdict.IGNORE;
        }
        return Verdict.GAP;
    }

    /** The command with CmdSN == ExpCmdSN was taken. */
    void advance() {
        expCmdSn++;
    }

    int expCmdSn() {
        return expCmdSn;
    }

    /** MaxCmdSN to advertise now, given how many commands are still outstanding. */
    int maxCmdSn(int outstanding) {
        int candidate = expCmdSn + Math.max(window - outstanding, 0) - 1;
        if (before(maxCmdSn, candidate)) {
            maxCmdSn = candidate;
        }
        return maxCmdSn;
    }
}

package io.jctl.it.cu;

/** How one iscsi-test-cu test ended, from best to worst. */
public enum CuOutcome {
    /** Completed with every assert passing and no [SKIPPED] or "not implemented" message. */
    PASS(3),
    /** Completed without failed asserts but said it skipped ([SKIPPED]) or found a feature not implemented. */
    SKIP(2),
    /** Completed with failed asserts, or its suite setup (login) failed. */
    FAIL(1),
    /** Started but never finished before the per-test timeout (or the run's budget ran out first). */
    TIMEOUT(0),
    /** The tool died before the test finished, or never reported the test. */
    CRASH(0);

    private final int rank;

    CuOutcome(int rank) {
        this.rank = rank;
    }

    public boolean worseThan(CuOutcome other) {
        return rank < other.rank;
    }

    public boolean betterThan(CuOutcome other) {
        return rank > other.rank;
    }
}

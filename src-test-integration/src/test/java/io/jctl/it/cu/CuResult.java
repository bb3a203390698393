package io.jctl.it.cu;

/**
 * One test's outcome with the reason a person needs (first failed assert, skip message, how the run ended) and how
 * long its iscsi-test-cu process ran (0 when it was not run).
 */
public record CuResult(String test, CuOutcome outcome, String reason, double seconds) {

    public CuResult(String test, CuOutcome outcome, String reason) {
        this(test, outcome, reason, 0);
    }

    public CuResult withSeconds(double s) {
        return new CuResult(test, outcome, reason, s);
    }

    public CuResult withReason(String r) {
        return new CuResult(test, outcome, r, seconds);
    }
}

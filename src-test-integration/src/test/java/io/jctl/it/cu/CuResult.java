package io.jctl.it.cu;

/** One test's outcome with the reason a person needs (first failed assert, skip message, how the run ended). */
public record CuResult(String test, CuOutcome outcome, String reason) {
}

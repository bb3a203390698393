package io.jctl.control.message;

/** How many sessions {@code islogout} / {@code isterminate} acted on. */
public record SessionActionResult(int sessions) {
}

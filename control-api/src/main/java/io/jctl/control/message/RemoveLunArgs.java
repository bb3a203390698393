package io.jctl.control.message;

/** {@code ctladm remove -b backend -l lun}: the backend must match the LUN's, as in CTL. */
public record RemoveLunArgs(String backend, Integer lunId) {
}

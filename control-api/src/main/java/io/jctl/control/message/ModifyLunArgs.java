package io.jctl.control.message;

/**
 * {@code ctladm modify -b backend -l lun -s size}: online resize. Initiators see CAPACITY DATA HAS CHANGED.
 *
 * @param size new size with optional suffix, or {@code auto} to re-read the backing store's size
 */
public record ModifyLunArgs(String backend, Integer lunId, String size) {
}

package io.jctl.it.vm;

/** One workload's outcome as the guest reported it: {@code JCTL-VM RESULT <workload> PASS|FAIL <details>}. */
public record GuestResult(String workload, boolean passed, String details) {
}

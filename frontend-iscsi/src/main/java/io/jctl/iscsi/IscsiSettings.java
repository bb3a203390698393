package io.jctl.iscsi;

import java.time.Duration;

/**
 * Frontend limits, the counterpart of CTL's ICL limits and iSCSI sysctls.
 *
 * @param maxRecvDataSegmentLength largest data segment this target accepts (declared to initiators)
 * @param maxBurstLength           largest solicited or unsolicited sequence offered in negotiation
 * @param firstBurstLength         largest unsolicited data offered in negotiation
 * @param maxCmdWindow             commands an initiator may have queued (CTL's maxtags)
 * @param loginTimeout             time a connection may spend before full feature phase
 * @param nopInterval              silence after which the target sends a NOP-In ping
 * @param nopTimeout               time the initiator has to answer a ping before the session is dropped
 */
public record IscsiSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength, int maxCmdWindow,
                            Duration loginTimeout, Duration nopInterval, Duration nopTimeout) {
    /** Largest value a 24-bit length key can carry. */
    public static final int MAX_SEGMENT = (1 << 24) - 1;

    public IscsiSettings {
        checkRange("maxRecvDataSegmentLength", maxRecvDataSegmentLength);
        checkRange("maxBurstLength", maxBurstLength);
        checkRange("firstBurstLength", firstBurstLength);
        if (firstBurstLength > maxBurstLength) {
            throw new IllegalArgumentException("firstBurstLength " + firstBurstLength + " exceeds maxBurstLength "
                    + maxBurstLength);
        }
        if (maxCmdWindow < 1 || maxCmdWindow > 65536) {
            throw new IllegalArgumentException("maxCmdWindow must be 1..65536, got " + maxCmdWindow);
        }
        if (loginTimeout.isNegative() || loginTimeout.isZero() || nopInterval.isNegative() || nopInterval.isZero()
                || nopTimeout.isNegative() || nopTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    private static void checkRange(String name, int value) {
        if (value < 512 || value > MAX_SEGMENT) {
            throw new IllegalArgumentException(name + " must be 512.." + MAX_SEGMENT + ", got " + value);
        }
    }

    /** CTL-like defaults: 256 KiB segments, 1 MiB bursts, 256 commands, 60 s login, ping after 5 s idle. */
    public static IscsiSettings defaults() {
        return new IscsiSettings(256 * 1024, 1024 * 1024, 64 * 1024, 256, Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}

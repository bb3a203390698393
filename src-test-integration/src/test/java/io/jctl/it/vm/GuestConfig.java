package io.jctl.it.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * What the guest does (scripts/vm/run-vm.sh options): which TARGET and LUN it logs in to as INITIATOR, the
 * WORKLOADS in order (empty = the guest's default list) and, if not null, CHAP as "user:secret" and mutual CHAP
 * (the target's name and secret) as "user:secret".
 */
public record GuestConfig(String target, String initiator, int lun, List<String> workloads, String chap,
        String chapIn) {

    public static final String DEFAULT_INITIATOR = "iqn.2026-11.io.jctl.vm:guest";

    public GuestConfig {
        workloads = List.copyOf(workloads);
    }

    /** LUN 0 of TARGET as the default guest initiator, every default workload, no CHAP. */
    public static GuestConfig of(String target) {
        return new GuestConfig(target, DEFAULT_INITIATOR, 0, List.of(), null, null);
    }

    public GuestConfig withWorkloads(String... names) {
        return new GuestConfig(target, initiator, lun, List.of(names), chap, chapIn);
    }

    public GuestConfig withChap(String user, String secret) {
        return new GuestConfig(target, initiator, lun, workloads, user + ":" + secret, chapIn);
    }

    public GuestConfig withMutualChap(String targetUser, String targetSecret) {
        return new GuestConfig(target, initiator, lun, workloads, chap, targetUser + ":" + targetSecret);
    }

    /** The run-vm.sh arguments for this configuration. */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of(
                "--target", target, "--initiator", initiator, "--lun", Integer.toString(lun)));
        if (!workloads.isEmpty()) args.addAll(List.of("--workloads", String.join(",", workloads)));
        if (chap != null) args.addAll(List.of("--chap", chap));
        if (chapIn != null) args.addAll(List.of("--chap-in", chapIn));
        return args;
    }
}

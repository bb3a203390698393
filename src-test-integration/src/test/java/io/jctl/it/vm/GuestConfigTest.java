package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestConfigTest {

    @Test
    void defaultsPassOnlyTargetInitiatorAndLun() {
        assertEquals(List.of("--target", "iqn.x:t", "--initiator", GuestConfig.DEFAULT_INITIATOR, "--lun", "0"),
                GuestConfig.of("iqn.x:t").arguments());
    }

    @Test
    void workloadsAndChapBecomeRunVmOptions() {
        GuestConfig guest = GuestConfig.of("iqn.x:t").withWorkloads("setup", "discovery", "badchap")
                .withChap("user", "secret-123456").withMutualChap("tgt", "tgt-secret-12");
        assertEquals(List.of("--target", "iqn.x:t", "--initiator", GuestConfig.DEFAULT_INITIATOR, "--lun", "0",
                "--workloads", "setup,discovery,badchap", "--chap", "user:secret-123456",
                "--chap-in", "tgt:tgt-secret-12"), guest.arguments());
    }
}

package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * open-iscsi's iscsiadm in a Debian container (host network, so it reaches the daemon on 127.0.0.1) discovers the
 * default target. Runs only where a Docker engine answers; elsewhere it is skipped with the reason. The kernel
 * initiator proper (login, file systems) belongs to the QEMU rig, not to this test.
 */
class OpenIscsiContainerTest {

    @Test
    void iscsiadmDiscoversTheDefaultTarget(TestInfo test) throws Exception {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) {
            System.err.println("SKIPPED: no Docker engine reachable; the open-iscsi container test needs one");
        }
        Assumptions.assumeTrue(docker, "no Docker engine reachable; the open-iscsi container test needs one");

        try (Daemon daemon = Daemon.start(test);
                GenericContainer<?> initiator = new GenericContainer<>(DockerImageName.parse("debian:12"))
                        .withNetworkMode("host")
                        .withPrivilegedMode(true)
                        .withCommand("sleep", "infinity")) {
            initiator.start();
            ExecResult install = initiator.execInContainer("sh", "-c",
                    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq open-iscsi");
            assertEquals(0, install.getExitCode(), install.getStderr());
            ExecResult discovery = initiator.execInContainer("sh", "-c",
                    "iscsid && iscsiadm -m discovery -t sendtargets -p " + daemon.portal());
            assertEquals(0, discovery.getExitCode(), discovery.getStdout() + discovery.getStderr());
            // "127.0.0.1:PORT,TPGT TARGET"
            assertTrue(discovery.getStdout().lines().anyMatch(
                    l -> l.startsWith(daemon.portal() + ",") && l.endsWith(" " + Daemon.DEFAULT_TARGET)),
                    discovery.getStdout());
        }
    }
}

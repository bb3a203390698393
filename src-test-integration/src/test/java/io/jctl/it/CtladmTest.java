package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctl.it.support.Daemon;
import io.jctl.it.support.RawIscsi;
import io.jctl.it.support.ToolResult;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** ctladm against a running daemon: what it changes is visible to an initiator, and bad requests change nothing. */
class CtladmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOOL_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void createModifyRemoveARamDiskSeenThroughTheDefaultTarget(TestInfo test) throws IOException {
        Tools.assumeInstalled("iscsi-readcapacity16");
        try (Daemon daemon = Daemon.start(test)) {
            JsonNode created = json(daemon.checkCtladm("create", "-b", "ramdisk", "-s", "16M", "-l", "5", "--json"));
            assertEquals(5, created.get("id").asInt(), created.toString());
            assertEquals("ramdisk", created.get("backend").asText(), created.toString());
            assertEquals(16L << 20, created.get("sizeBlocks").asLong() * created.get("blockSize").asLong());
            assertEquals(List.of(0, 5), lunIds(daemon));
            assertEquals(16L << 20, capacity(daemon, 5));

            String table = daemon.checkCtladm("devlist").stdout();
            assertTrue(table.lines().findFirst().orElse("").matches("\\s*LUN\\s+Backend\\s+Size \\(Blocks\\).*"), table);
            assertTrue(table.lines().anyMatch(l -> l.matches("\\s*5\\s+ramdisk\\s+32768\\s+512\\b.*")), table);

            JsonNode modified = json(daemon.checkCtladm("modify", "-b", "ramdisk", "-l", "5", "-s", "32M", "--json"));
            assertEquals(65536, modified.get("sizeBlocks").asLong(), modified.toString());
            assertEquals(32L << 20, capacity(daemon, 5));

            ToolResult removed = daemon.checkCtladm("remove", "-b", "ramdisk", "-l", "5");
            assertEquals("LUN 5 removed successfully", removed.stdout().strip());
            assertEquals(List.of(0), lunIds(daemon));
        }
    }

    @Test
    void createsAFileLunWithTheFileInItsVerboseListing(TestInfo test) throws IOException {
        Path backing = tmp.resolve("lun3.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(8 << 20);
        }
        try (Daemon daemon = Daemon.start(test)) {
            daemon.checkCtladm("create", "-b", "block", "-o", "file=" + backing, "-l", "3");
            JsonNode lun3 = lun(daemon, 3);
            assertEquals("block", lun3.get("backend").asText());
            assertEquals(8L << 20, lun3.get("sizeBlocks").asLong() * lun3.get("blockSize").asLong(), lun3.toString());
            String verbose = daemon.checkCtladm("devlist", "-v").stdout();
            assertTrue(verbose.contains("file=" + backing), verbose);
        }
    }

    @Test
    void portlistAndIslistShowTheDefaultTargetAndALoggedInInitiator(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test)) {
            JsonNode ports = json(daemon.checkCtladm("portlist", "--json"));
            assertTrue(ports.isArray() && ports.size() >= 1, ports.toString());
            List<String> targets = new ArrayList<>();
            ports.forEach(p -> targets.add(p.path("targetName").asText()));
            assertTrue(targets.contains(Daemon.DEFAULT_TARGET), ports.toString());
            assertTrue(daemon.checkCtladm("portlist").stdout().lines().findFirst().orElse("").startsWith("Port"));

            assertEquals(0, json(daemon.checkCtladm("islist", "--json")).size(), "sessions before any login");
            try (RawIscsi session = RawIscsi.login(daemon.port(), Daemon.TEST_INITIATOR, Daemon.DEFAULT_TARGET,
                    Map.of())) {
                JsonNode sessions = json(daemon.checkCtladm("islist", "--json"));
                assertEquals(1, sessions.size(), sessions.toString());
                assertEquals(Daemon.TEST_INITIATOR, sessions.get(0).get("initiatorName").asText());
                assertEquals(Daemon.DEFAULT_TARGET, sessions.get(0).get("targetName").asText());
                assertTrue(daemon.checkCtladm("islist").stdout().contains(Daemon.TEST_INITIATOR));
                session.logout();
            }
        }
    }

    @Test
    void wrongArgumentsExitNonZeroWithOneLineAndChangeNothing(TestInfo test) throws IOException {
        try (Daemon daemon = Daemon.start(test)) {
            String before = daemon.checkCtladm("devlist", "--json").stdout();
            List<List<String>> wrong = List.of(
                    List.of("create", "-b", "nosuchbackend", "-s", "1M", "-l", "6"),
                    List.of("create", "-b", "ramdisk", "-s", "lots", "-l", "6"),
                    List.of("create", "-b", "ramdisk", "-s", "1M", "-l", "0"),              // LUN 0 exists
                    List.of("create", "-b", "block", "-o", "file=" + tmp.resolve("absent/x.img"), "-l", "6"),
                    List.of("create", "-b", "ramdisk", "-s", "1M", "-B", "1000", "-l", "6"), // no such block size
                    List.of("remove", "-b", "ramdisk", "-l", "99"),                         // no such LUN
                    List.of("remove", "-b", "block", "-l", "0"),                            // LUN 0 is a ramdisk
                    List.of("modify", "-b", "ramdisk", "-l", "0", "-s", "-5"),
                    List.of("create", "-s", "1M"),                                          // -b is required
                    List.of("frobnicate"));
            for (List<String> args : wrong) {
                ToolResult r = daemon.ctladm(args.toArray(String[]::new));
                String what = "ctladm " + String.join(" ", args) + "\n" + r.describe();
                assertFalse(r.timedOut(), what);
                assertNotEquals(0, r.exitCode(), what);
                assertEquals(1, r.stderr().strip().lines().count(), "not a one-line reason: " + what);
                assertTrue(r.stderr().startsWith("ctladm"), what);
            }
            assertEquals(before, daemon.checkCtladm("devlist", "--json").stdout(), "a refused request changed LUNs");
        }
    }

    @Test
    void unreachableSocketIsAOneLineError() {
        ToolResult r = Tools.run(TOOL_DEADLINE, Tools.javaCommand("io.jctl.ctladm.Main", List.of(),
                List.of("--socket", tmp.resolve("nobody.sock").toString(), "devlist")));
        assertNotEquals(0, r.exitCode(), r.describe());
        assertEquals(1, r.stderr().strip().lines().count(), r.describe());
    }

    private static long capacity(Daemon daemon, int lun) {
        String out = Tools.check(TOOL_DEADLINE, "iscsi-readcapacity16", daemon.url(lun)).stdout();
        return DiscoveryAndInquiryTest.number(out, "Total size:(\\d+)");
    }

    private static List<Integer> lunIds(Daemon daemon) throws IOException {
        List<Integer> ids = new ArrayList<>();
        json(daemon.checkCtladm("devlist", "--json")).forEach(l -> ids.add(l.get("id").asInt()));
        return ids;
    }

    private static JsonNode lun(Daemon daemon, int id) throws IOException {
        for (JsonNode l : json(daemon.checkCtladm("devlist", "--json"))) {
            if (l.get("id").asInt() == id) return l;
        }
        throw new AssertionError("no LUN " + id + " in devlist");
    }

    private static JsonNode json(ToolResult result) throws IOException {
        return JSON.readTree(result.stdout());
    }
}

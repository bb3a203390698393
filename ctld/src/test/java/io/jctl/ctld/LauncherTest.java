package io.jctl.ctld;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scripts/ctld}: the JVM options it starts the daemon with, and how JAVA_OPTS overrides them. */
class LauncherTest {
    /** The repository: tests run in the module's folder. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    /** What scripts/ctld hands to java, run against a stand-in java that prints its arguments. */
    private List<String> javaArgs(Map<String, String> env, String... args) throws Exception {
        Path root = Files.createTempDirectory(dir, "repo");
        Files.createDirectories(root.resolve("scripts/lib"));
        Files.copy(ROOT.resolve("scripts/ctld"), root.resolve("scripts/ctld"));
        Files.copy(ROOT.resolve("scripts/lib/launch.sh"), root.resolve("scripts/lib/launch.sh"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("ctld/target/lib"));
        Files.writeString(root.resolve("ctld/pom.xml"), "<project/>");
        Path jar = Files.writeString(root.resolve("ctld/target/ctld.jar"), "");
        // newer than every source, so the launcher does not build
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder pb = new ProcessBuilder(concat(List.of("bash", root.resolve("scripts/ctld").toString()), args));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("JCTL_JVM_DEFAULTS");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        int jarAt = lines.indexOf("-jar");
        assertTrue(jarAt >= 0, out);
        assertEquals(jar.toString(), lines.get(jarAt + 1));
        assertEquals(Arrays.asList(args), lines.subList(jarAt + 2, lines.size()));
        return lines.subList(0, jarAt);
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(Arrays.asList(b));
        return out;
    }

    @Test
    void daemonStartsWithTheDocumentedDefaultsAndPassesItsArgumentsThrough() throws Exception {
        List<String> jvm = javaArgs(Map.of(), "--listen", "127.0.0.1:3260");
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m"), jvm);
    }

    @Test
    void javaOptsComeAfterTheDefaultsSoTheyWin() throws Exception {
        List<String> jvm = javaArgs(Map.of("JAVA_OPTS", "-Xmx1g -Dx=y"));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-Xmx1g", "-Dx=y"), jvm);
    }

    @Test
    void aCollectorInJavaOptsReplacesTheDefaultOne() throws Exception {
        assertEquals(List.of("-Xms32m", "-Xmx256m", "-XX:+UseG1GC"),
                javaArgs(Map.of("JAVA_OPTS", "-XX:+UseG1GC")));
    }

    @Test
    void aHeapRelativeToTheMachineInJavaOptsReplacesTheFixedLimits() throws Exception {
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=10", "-XX:InitialRAMPercentage=1"),
                javaArgs(Map.of("JAVA_OPTS", "-XX:MaxRAMPercentage=10 -XX:InitialRAMPercentage=1")));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-XX:MaxRAM=2g"),
                javaArgs(Map.of("JAVA_OPTS", "-XX:MaxRAM=2g")));
    }

    @Test
    void defaultsCanBeSwitchedOffWhole() throws Exception {
        assertEquals(List.of("-Xss512k"), javaArgs(Map.of("JCTL_JVM_DEFAULTS", "none", "JAVA_OPTS", "-Xss512k")));
    }

    @Test
    void helpNamesEveryDefault() throws IOException {
        // the help wraps long names anywhere: compare without white space
        String help = new CommandLine(new Main()).getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", "");
        for (String option : List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "JAVA_OPTS", "JCTL_JVM_DEFAULTS",
                "io.netty.allocator.numDirectArenas", "io.netty.maxDirectMemory",
                "io.netty.tryReflectionSetAccessible")) {
            assertTrue(help.contains(option), option + " missing from --help:\n" + help);
        }
        String launcher = Files.readString(ROOT.resolve("scripts/lib/launch.sh"));
        for (String option : List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m")) {
            assertTrue(launcher.contains(option), option);
        }
    }
}

package io.jctl.it.cu;

import io.jctl.it.support.Daemon;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The LUN 0 configurations libiscsi's suite runs against, each a daemon started from a configuration file written
 * here. Every option that changes what a test family sees is set explicitly (CTL's option names, ctl-facts §7), so
 * a later change of a default cannot silently change what is tested.
 */
public enum LunConfiguration {
    /** Thin-provisioned RAM disk: UNMAP, WRITE SAME with UNMAP and GET LBA STATUS have something to do. */
    RAMDISK_THIN("ramdisk-thin", Backend.RAMDISK, 512, Map.of("unmap", "on"), false),
    /** Fully provisioned RAM disk (LBPME=0): the thin-provisioning tests must skip. */
    RAMDISK("ramdisk", Backend.RAMDISK, 512, Map.of(), false),
    /** Thin block LUN on a sparse file (UNMAP punches holes). */
    BLOCK_THIN("block-thin", Backend.BLOCK, 512, Map.of("unmap", "on"), false),
    /** Fully provisioned block LUN on a sparse file. */
    BLOCK("block", Backend.BLOCK, 512, Map.of(), false),
    /** 4096-byte logical blocks on a file (the tests size their transfers in blocks: 8 times the data). */
    BLOCK_4K("block-4k", Backend.BLOCK, 4096, Map.of(), false),
    /** Write-protected RAM disk: writes get DATA PROTECT, MODE SENSE reports WP. */
    READONLY("readonly", Backend.RAMDISK, 512, Map.of("readonly", "on"), false),
    /** Removable-medium RAM disk: RMB=1, PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT with LOEJ. */
    REMOVABLE("removable", Backend.RAMDISK, 512, Map.of("removable", "on"), false),
    /** The same RAM disk through two portal groups (two ports on 127.0.0.1): the MultipathIO tests. */
    MULTIPATH("multipath", Backend.RAMDISK, 512, Map.of(), true);

    /**
     * Size of every LUN. The tests touch at most 256 blocks at each end, except WRITE SAME with NUMBER OF BLOCKS 0,
     * which writes the whole LUN: 1 GiB made that one test take a minute under load, 128 MiB takes seconds.
     */
    public static final long LUN_SIZE = 128L << 20;

    /** Core options every configuration sets, with the values used unless the configuration overrides them. */
    private static final Map<String, String> BASE_OPTIONS = baseOptions();

    private enum Backend { RAMDISK, BLOCK }

    public final String label;
    private final Backend backend;
    private final int blockSize;
    private final Map<String, String> overrides;
    private final boolean multipath;

    LunConfiguration(String label, Backend backend, int blockSize, Map<String, String> overrides, boolean multipath) {
        this.label = label;
        this.backend = backend;
        this.blockSize = blockSize;
        this.overrides = overrides;
        this.multipath = multipath;
    }

    private static Map<String, String> baseOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("unmap", "off");
        m.put("readonly", "off");
        m.put("removable", "off");
        m.put("readcache", "on");
        m.put("writecache", "on");
        return m;
    }

    public static Set<String> labels() {
        return Arrays.stream(values()).map(c -> c.label).collect(Collectors.toUnmodifiableSet());
    }

    public boolean multipath() {
        return multipath;
    }

    /** The LUN's options as the configuration file gives them. */
    public Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>(BASE_OPTIONS);
        m.putAll(overrides);
        if (backend == Backend.RAMDISK) m.put("capacity", Long.toString(LUN_SIZE)); // store every block written
        return m;
    }

    /**
     * The daemon's configuration. BACKING_FILE is the block LUN's file; SECOND_PORT the second portal group's port
     * (multipath only). The predefined portal group {@code default} listens where the harness's --listen says.
     */
    public String config(Path backingFile, int secondPort) {
        StringBuilder y = new StringBuilder();
        if (multipath) {
            y.append("portal-group:\n")
                    .append("  second:\n")
                    .append("    listen: 127.0.0.1:").append(secondPort).append('\n')
                    .append("    discovery-auth-group: no-authentication\n");
        }
        y.append("lun:\n")
                .append("  scratch:\n")
                .append("    backend: ").append(backend == Backend.RAMDISK ? "ramdisk" : "block").append('\n')
                .append("    blocksize: ").append(blockSize).append('\n');
        if (backend == Backend.RAMDISK) {
            y.append("    size: ").append(LUN_SIZE).append('\n');
        } else {
            y.append("    path: ").append(backingFile).append('\n')
                    .append("    size: auto\n");
        }
        y.append("    options:\n");
        options().forEach((k, v) -> y.append("      ").append(k).append(": \"").append(v).append("\"\n"));
        y.append("target:\n")
                .append("  ").append(Daemon.DEFAULT_TARGET).append(":\n")
                .append("    auth-group: no-authentication\n")
                .append("    portal-group: ").append(multipath ? "[default, second]" : "default").append('\n')
                .append("    lun:\n")
                .append("      0: scratch\n");
        return y.toString();
    }

    /** A started daemon serving this configuration's LUN 0, with the URLs to reach it. */
    public record Served(Daemon daemon, String url, String multipathUrl) implements AutoCloseable {
        @Override
        public void close() {
            daemon.close();
        }
    }

    /** Starts a daemon for this configuration; a block LUN's sparse file is made in TMP. */
    public Served start(Path tmp, String logName) throws IOException {
        Path file = tmp.resolve(label + ".img");
        if (backend == Backend.BLOCK) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(LUN_SIZE);
            }
        }
        int secondPort = multipath ? Daemon.freePort() : 0;
        Daemon daemon = Daemon.start(logName, config(file, secondPort));
        String second = multipath
                ? "iscsi://127.0.0.1:" + secondPort + "/" + Daemon.DEFAULT_TARGET + "/0" : null;
        return new Served(daemon, daemon.url(0), second);
    }
}

package io.jctl.backend.block;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackingStoreTest {
    @TempDir
    Path sys;

    @Test
    void deviceSizeComesFromSysfsSectors() throws IOException {
        Files.createDirectories(sys.resolve("sdb1"));
        Files.writeString(sys.resolve("sdb1/size"), "2097152\n");
        assertEquals(1L << 30, BackingStore.deviceSize(sys, "sdb1"));
    }

    @Test
    void unreadableOrOddSysfsSizesAreErrors() throws IOException {
        assertThrows(IOException.class, () -> BackingStore.deviceSize(sys, "nodev"));
        Files.createDirectories(sys.resolve("odd"));
        Files.writeString(sys.resolve("odd/size"), "lots\n");
        IOException e = assertThrows(IOException.class, () -> BackingStore.deviceSize(sys, "odd"));
        assertEquals("unexpected size 'lots' in " + sys.resolve("odd"), e.getMessage());
        Files.writeString(sys.resolve("odd/size"), "36028797018963968\n");
        assertThrows(IOException.class, () -> BackingStore.deviceSize(sys, "odd"));
    }
}

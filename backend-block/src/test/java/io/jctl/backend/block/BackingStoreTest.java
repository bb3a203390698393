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

    private void sizeFile(String device, String content) throws IOException {
        Files.createDirectories(sys.resolve(device));
        Files.writeString(sys.resolve(device).resolve("size"), content);
    }

    @Test
    void deviceSizeComesFromSysfsSectorsOfTheDeviceNumber() throws IOException {
        sizeFile("8:17", "2097152\n");                       // sdb1
        assertEquals(1L << 30, BackingStore.deviceSize(sys, 0x811));
        sizeFile("259:65536", "8\n");                        // nvme partition with a large minor
        long rdev = (259L << 8) | ((65536L & ~0xffL) << 12);
        assertEquals(4096, BackingStore.deviceSize(sys, rdev));
        sizeFile("4096:3", "1\n");                           // major beyond 12 bits
        assertEquals(512, BackingStore.deviceSize(sys, (4096L & ~0xfffL) << 32 | 3));
    }

    @Test
    void unreadableOrOddSysfsSizesAreErrors() throws IOException {
        assertThrows(IOException.class, () -> BackingStore.deviceSize(sys, 0x700));
        sizeFile("7:1", "lots\n");
        IOException e = assertThrows(IOException.class, () -> BackingStore.deviceSize(sys, 0x701));
        assertEquals("unexpected size 'lots' in " + sys.resolve("7:1/size"), e.getMessage());
        sizeFile("7:1", "36028797018963968\n");
        assertThrows(IOException.class, () -> BackingStore.deviceSize(sys, 0x701));
    }
}

package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.ToolResult;
import io.jctl.it.support.Tools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Bulk data through qemu-img's iSCSI driver: 64 MiB of random data written, then compared, per backend. */
class QemuImgDataTest {

    private static final int IMAGE_SIZE = 64 << 20;
    private static final Duration QEMU_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void randomImageRoundTripsThroughTheRamDisk(TestInfo test) throws IOException {
        Tools.assumeInstalled("qemu-img");
        Path image = randomImage(1);
        try (Daemon daemon = Daemon.start(test)) {
            writeAndCompare(daemon, image, 0);
            compareFindsAChangedByte(daemon, image, 0);
        }
    }

    @Test
    void randomImageRoundTripsThroughAFileLunCreatedWithCtladm(TestInfo test) throws IOException {
        Tools.assumeInstalled("qemu-img");
        Path image = randomImage(2);
        Path backing = tmp.resolve("lun1.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(IMAGE_SIZE);
        }
        try (Daemon daemon = Daemon.start(test)) {
            // the default target's LUN map is off, so a LUN created as 1 is LUN 1 there
            daemon.checkCtladm("create", "-b", "block", "-o", "file=" + backing, "-s", "64M", "-l", "1");
            writeAndCompare(daemon, image, 1);
            assertArrayEquals(Files.readAllBytes(image), Files.readAllBytes(backing),
                    "the backing file does not hold what was written to LUN 1");
            compareFindsAChangedByte(daemon, image, 1);
        }
    }

    private void writeAndCompare(Daemon daemon, Path image, int lun) {
        Tools.check(QEMU_DEADLINE, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", image.toString(),
                daemon.url(lun));
        ToolResult same = compare(daemon, image, lun);
        assertEquals(0, same.exitCode(), same.describe());
        assertTrue(same.stdout().contains("Images are identical."), same.describe());
    }

    /** The comparison can fail: one changed byte in the local copy is found at its offset. */
    private void compareFindsAChangedByte(Daemon daemon, Path image, int lun) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            long offset = 40L << 20;
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
        ToolResult differs = compare(daemon, image, lun);
        assertEquals(1, differs.exitCode(), differs.describe());
        assertTrue(differs.stdout().contains("Content mismatch at offset 41943040!"), differs.describe());
    }

    /** qemu-img compare of the image with the first IMAGE_SIZE bytes of the LUN (the RAM disk is bigger). */
    private static ToolResult compare(Daemon daemon, Path image, int lun) {
        return Tools.run(QEMU_DEADLINE, "qemu-img", "compare", "--image-opts",
                "driver=raw,file.driver=file,file.filename=" + image,
                "driver=raw,size=" + IMAGE_SIZE + ",file.driver=iscsi,file.transport=tcp,file.portal="
                        + daemon.portal() + ",file.target=" + Daemon.DEFAULT_TARGET + ",file.lun=" + lun);
    }

    private Path randomImage(long seed) throws IOException {
        byte[] data = new byte[IMAGE_SIZE];
        new SplittableRandom(seed).nextBytes(data);
        Path image = tmp.resolve("random-" + seed + ".img");
        Files.write(image, data);
        return image;
    }
}

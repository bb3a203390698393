package io.jctl.backend.block;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the channel of a backing file; the block backend's one seam to the file system. */
@FunctionalInterface
interface ChannelOpener {
    ChannelOpener FILES = (path, writable) -> writable
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ);

    FileChannel open(Path path, boolean writable) throws IOException;
}

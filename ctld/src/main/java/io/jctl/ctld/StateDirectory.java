package io.jctl.ctld;

import io.jctl.control.UnixUser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The daemon's state directory, held for the daemon's lifetime by an exclusive lock on {@code ctld.lock} (which
 * also carries the pid), so two daemons never share one. Persistent state lives here.
 *
 * <p>Default: {@code /var/lib/jctl} for root; otherwise {@code $XDG_STATE_HOME/jctl}, or
 * {@code ~/.local/state/jctl} when {@code XDG_STATE_HOME} is not set.
 */
public final class StateDirectory implements AutoCloseable {
    static final String LOCK_FILE = "ctld.lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static Path defaultPath() {
        return defaultPath(System.getenv(), UnixUser.isRoot(), System.getProperty("user.home"));
    }

    static Path defaultPath(Map<String, String> env, boolean root, String home) {
        if (root) {
            return Path.of("/var/lib/jctl");
        }
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isEmpty()) {
            return Path.of(state, "jctl");
        }
        return Path.of(home, ".local", "state", "jctl");
    }

    /**
     * Creates the directory if needed (mode 0700) and takes its lock.
     *
     * @throws IOException with a one-line reason, naming the pid of a daemon that holds it
     */
    public static StateDirectory acquire(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(abs)) {
                Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new IOException("cannot create state directory " + abs + ": " + e, e);
        }
        Path lockFile = abs.resolve(LOCK_FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot open " + lockFile + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            ch.close();
            throw new IOException("another ctld" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + " is using state directory " + abs);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(true);
        return new StateDirectory(abs, ch, lock);
    }

    public Path path() {
        return dir;
    }

    /** Releases the lock; the lock file stays, empty, for the next daemon. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lockChannel.truncate(0);
                lock.release();
            }
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock dies with the process anyway
        }
    }
}

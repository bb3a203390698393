package io.jctl.control.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.jctl.control.Command;
import io.jctl.control.ControlException;
import io.jctl.control.ControlJson;
import io.jctl.control.ControlService;
import io.jctl.control.LineBuffer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link ControlService} on a Unix domain socket, one JSON request per line (see {@link ControlJson}).
 * The socket file is mode 0600; a parent directory it has to create is 0700. Only peers with the daemon's uid or
 * root (checked with {@code SO_PEERCRED}) are served. A stale socket file left by a dead daemon is replaced; a
 * live one makes {@link #start} fail.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** S_IFMT / S_IFSOCK from stat(2). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int MAX_CONNECTIONS = 16;

    private final Path socket;
    private final ControlService service;
    private final ServerSocketChannel server;
    private final UserPrincipal owner;
    private final UserPrincipal root;
    private final ThreadPoolExecutor workers;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socket, ControlService service, ServerSocketChannel server) throws IOException {
        this.socket = socket;
        this.service = service;
        this.server = server;
        var lookup = socket.getFileSystem().getUserPrincipalLookupService();
        this.owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
        this.root = lookup.lookupPrincipalByName("root");
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "control-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "control-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the socket and starts serving.
     *
     * @throws IOException with a one-line reason: another daemon answers there, the path is not a socket, the
     *                     directory cannot be created ...
     */
    public static ControlServer start(Path socket, ControlService service) throws IOException {
        Path abs = socket.toAbsolutePath();
        prepareDirectory(abs.getParent());
        removeStaleSocket(abs);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ControlServer server;
        try {
            ch.bind(UnixDomainSocketAddress.of(abs));
            Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
            server = new ControlServer(abs, service, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(abs);
            throw new IOException("cannot listen on control socket " + abs + ": " + e.getMessage(), e);
        }
        server.acceptor.start();
        log.debug("control socket {} listening", abs);
        return server;
    }

    public Path socket() {
        return socket;
    }

    private static void prepareDirectory(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new IOException("cannot create control socket directory " + dir + ": " + e, e);
        }
    }

    /**
     * Fails if a daemon answers on {@code socket}, so a second daemon can refuse to start before it builds
     * anything. A missing or stale socket file is fine.
     */
    public static void refuseIfServed(Path socket) throws IOException {
        Path path = socket.toAbsolutePath();
        if (isLiveSocket(path)) {
            throw new IOException("another ctld is already listening on " + path);
        }
    }

    private static boolean isLiveSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("control socket path " + path + " exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeStaleSocket(Path path) throws IOException {
        if (isLiveSocket(path)) {
            throw new IOException("another ctld is already listening on " + path);
        }
        if (Files.deleteIfExists(path)) {
            // nobody answered: the file was left behind by a daemon that died
            log.info("removed stale control socket {}", path);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control socket accept failed: {}", e.toString());
                }
                return;
            }
            Optional<String> refusal = checkPeer(client);
            if (refusal.isPresent()) {
                log.warn("control connection refused: {}", refusal.get());
                replyAndClose(client, "permission denied: " + refusal.get());
                continue;
            }
            clients.add(client);
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                clients.remove(client);
                if (closed) {
                    replyAndClose(client, "ctld is shutting down");
                    return;
                }
                log.warn("control connection refused: more than {} at once", MAX_CONNECTIONS);
                replyAndClose(client, "too many control connections");
            }
        }
    }

    private Optional<String> checkPeer(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return refusal(peer.user(), owner, root);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot read peer credentials: " + e.getMessage());
        }
    }

    /** Why {@code peer} may not use a daemon running as {@code owner}: only the same user and root may. */
    static Optional<String> refusal(UserPrincipal peer, UserPrincipal owner, UserPrincipal root) {
        if (peer.equals(owner) || peer.equals(root)) {
            return Optional.empty();
        }
        return Optional.of("user " + peer.getName() + " is not " + (owner.equals(root) ? "root"
                : owner.getName() + " or root"));
    }

    private static void replyAndClose(SocketChannel client, String reason) {
        try (client) {
            writeFully(client, ByteBuffer.wrap(ControlJson.errorLine(reason)));
        } catch (IOException ignored) {
            // the peer is refused anyway
        }
    }

    private void serve(SocketChannel client) {
        LineBuffer lines = new LineBuffer(ControlJson.MAX_LINE_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try (client) {
            while (!closed) {
                buf.clear();
                if (client.read(buf) < 0) {
                    return;
                }
                buf.flip();
                lines.feed(buf);
                for (String line = lines.poll(); line != null; line = lines.poll()) {
                    writeFully(client, ByteBuffer.wrap(handle(line)));
                }
            }
        } catch (ClosedChannelException e) {
            // daemon shutting down or peer gone
        } catch (IOException e) {
            log.info("control connection dropped: {}", e.getMessage());
        } finally {
            clients.remove(client);
        }
    }

    /** Answers one request line; never throws. */
    byte[] handle(String line) {
        JsonNode request;
        try {
            request = ControlJson.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            log.info("control: malformed request: {}", ControlJson.describe(e));
            return ControlJson.errorLine("malformed request: " + ControlJson.describe(e));
        }
        if (request == null || !request.isObject() || !request.path("command").isTextual()) {
            log.info("control: request without a \"command\" string");
            return ControlJson.errorLine("request must be an object with a \"command\" string");
        }
        String name = request.get("command").asText();
        Optional<Command> command = Command.byWireName(name);
        if (command.isEmpty()) {
            log.info("control: unknown command \"{}\"", name);
            return ControlJson.errorLine("unknown command \"" + name + "\"");
        }
        Command cmd = command.get();
        JsonNode argsNode = request.get("args");
        if (argsNode == null || argsNode instanceof NullNode) {
            argsNode = ControlJson.mapper().createObjectNode();
        }
        if (!argsNode.isObject()) {
            return ControlJson.errorLine("bad arguments for " + name + ": \"args\" must be an object");
        }
        Object args;
        try {
            args = ControlJson.mapper().treeToValue(argsNode, cmd.argsType());
        } catch (JsonProcessingException e) {
            log.info("control: bad arguments for {}: {}", name, ControlJson.describe(e));
            return ControlJson.errorLine("bad arguments for " + name + ": " + ControlJson.describe(e));
        }
        try {
            Object result = cmd.invoke(service, args);
            log.debug("control: {} done", name);
            return ControlJson.successLine(result);
        } catch (ControlException e) {
            log.info("control: {} refused: {}", name, e.getMessage());
            return ControlJson.errorLine(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            // a bug or a broken installation: the daemon keeps running and the administrator gets the reason
            log.error("control: {} failed", name, e);
            return ControlJson.errorLine("internal error: " + e);
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Stops serving, drops open control connections and removes the socket file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.toString());
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // dropping it is all we want
            }
        }
        workers.shutdown();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            Files.deleteIfExists(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("cannot remove control socket {}: {}", socket, e.getMessage());
        }
    }
}

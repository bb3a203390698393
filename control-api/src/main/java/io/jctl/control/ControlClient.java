package io.jctl.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.LunInfo;
import io.jctl.control.message.LunMapArgs;
import io.jctl.control.message.ModifyLunArgs;
import io.jctl.control.message.PortInfo;
import io.jctl.control.message.PortStateArgs;
import io.jctl.control.message.ReloadResult;
import io.jctl.control.message.RemoveLunArgs;
import io.jctl.control.message.SessionActionResult;
import io.jctl.control.message.SessionEntry;
import io.jctl.control.message.SessionSelector;
import io.jctl.control.message.StatsArgs;
import io.jctl.control.message.StatsReport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Talks to ctld over its Unix control socket. One connection, opened on the first call and reused (ctlstat asks
 * every interval); calls are serialized. Every failure to reach the daemon or a missing answer within the
 * timeout is a {@link ControlUnavailableException}; a refusal by the daemon is a {@link ControlException} with
 * the daemon's reason.
 */
public final class ControlClient implements ControlService, AutoCloseable {
    /** Long enough for a LUN create that zero-fills or opens a slow device, short enough to notice a hang. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path socket;
    private final Duration timeout;
    private SocketChannel channel;
    private Selector selector;
    private LineBuffer lines;

    public ControlClient(Path socket) {
        this(socket, DEFAULT_TIMEOUT);
    }

    public ControlClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    @Override
    public LunInfo create(CreateLunArgs args) throws ControlException {
        return call(Command.CREATE, args);
    }

    @Override
    public LunInfo remove(RemoveLunArgs args) throws ControlException {
        return call(Command.REMOVE, args);
    }

    @Override
    public LunInfo modify(ModifyLunArgs args) throws ControlException {
        return call(Command.MODIFY, args);
    }

    @Override
    public List<LunInfo> devlist(DevListArgs args) throws ControlException {
        return call(Command.DEVLIST, args);
    }

    @Override
    public List<PortInfo> portlist() throws ControlException {
        return call(Command.PORTLIST, new Command.NoArgs());
    }

    @Override
    public List<PortInfo> portState(PortStateArgs args) throws ControlException {
        return call(Command.PORT, args);
    }

    @Override
    public PortInfo lunmap(LunMapArgs args) throws ControlException {
        return call(Command.LUNMAP, args);
    }

    @Override
    public List<SessionEntry> islist() throws ControlException {
        return call(Command.ISLIST, new Command.NoArgs());
    }

    @Override
    public SessionActionResult islogout(SessionSelector selector) throws ControlException {
        return call(Command.ISLOGOUT, selector);
    }

    @Override
    public SessionActionResult isterminate(SessionSelector selector) throws ControlException {
        return call(Command.ISTERMINATE, selector);
    }

    @Override
    public StatsReport stats(StatsArgs args) throws ControlException {
        return call(Command.STATS, args);
    }

    @Override
    public ReloadResult reload() throws ControlException {
        return call(Command.RELOAD, new Command.NoArgs());
    }

    /** Sends one request and waits for its response. */
    @SuppressWarnings("unchecked")
    public synchronized <T> T call(Command command, Object args) throws ControlException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String responseLine;
        try {
            connect();
            write(ByteBuffer.wrap(ControlJson.requestLine(command, args)), deadline);
            responseLine = readLine(deadline);
        } catch (IOException e) {
            closeQuietly();
            throw new ControlUnavailableException(socket, reason(e), e);
        }
        JsonNode response;
        try {
            response = ControlJson.mapper().readTree(responseLine);
        } catch (JsonProcessingException e) {
            closeQuietly();
            throw new ControlUnavailableException(socket, "malformed response: " + ControlJson.describe(e), e);
        }
        if (response == null || !response.isObject() || !response.path("ok").isBoolean()) {
            closeQuietly();
            throw new ControlUnavailableException(socket, "malformed response: no \"ok\" field", null);
        }
        if (!response.get("ok").booleanValue()) {
            throw new ControlException(ControlJson.oneLine(response.path("error").asText(null)));
        }
        try {
            var mapper = ControlJson.mapper();
            return (T) mapper.readValue(mapper.treeAsTokens(response.path("result")),
                    mapper.getTypeFactory().constructType(command.resultType()));
        } catch (IOException e) {
            throw new ControlUnavailableException(socket, "malformed " + command.wireName() + " result: "
                    + (e instanceof JsonProcessingException j ? ControlJson.describe(j) : e.getMessage()), e);
        }
    }

    private void connect() throws IOException {
        if (channel != null) {
            return;
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // A Unix-domain connect completes or fails at once; no timeout is needed for it.
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, 0);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (selector != null) {
                selector.close();
                selector = null;
            }
            throw e;
        }
        channel = ch;
        lines = new LineBuffer(ControlJson.MAX_LINE_BYTES);
    }

    private void write(ByteBuffer buf, long deadline) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                key.interestOps(SelectionKey.OP_WRITE);
                awaitReady(deadline, "sending the request");
            }
        }
    }

    private String readLine(long deadline) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (true) {
            String line = lines.poll();
            if (line != null) {
                return line;
            }
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) {
                throw new IOException("connection closed by ctld before it answered");
            }
            if (n == 0) {
                key.interestOps(SelectionKey.OP_READ);
                awaitReady(deadline, "waiting for the answer");
                continue;
            }
            buf.flip();
            lines.feed(buf);
        }
    }

    private void awaitReady(long deadline, String what) throws IOException {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0 || selector.select(remainingMillis) == 0 && System.nanoTime() >= deadline) {
            throw new IOException("no answer within " + timeout.toMillis() + " ms while " + what);
        }
        selector.selectedKeys().clear();
    }

    private static String reason(IOException e) {
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : ControlJson.oneLine(msg);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // already failing; the original error is what the caller needs
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing a Unix socket we no longer use cannot fail in a way the caller could act on
        } finally {
            selector = null;
            channel = null;
            lines = null;
        }
    }
}

package io.jctl.iscsi;

import io.jctl.core.ScsiService;
import io.jctl.iscsi.login.SessionParameters;
import io.jctl.iscsi.pdu.DigestSettings;
import io.jctl.iscsi.pdu.PduDecoder;
import io.jctl.iscsi.pdu.PduEncoder;
import io.jctl.iscsi.session.Connection;
import io.jctl.iscsi.session.SessionRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The iSCSI frontend: listens on portal groups, logs initiators in to the configured targets and carries their SCSI
 * commands to the core. Thread-safe.
 */
public final class IscsiFrontend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IscsiFrontend.class);
    /** How long {@link #close()} lets initiators answer the logout request before connections are dropped. */
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final ScsiService core;
    private final IscsiSettings settings;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Set<Connection> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tsih = new AtomicInteger();
    private final AtomicLong sessionIds = new AtomicLong();
    private final Registry registry = new Registry();
    private volatile List<IscsiTarget> targets = List.of();
    private volatile boolean closed;

    private record Listener(PortalGroup group, Channel channel) {
    }

    public IscsiFrontend(ScsiService core, IscsiSettings settings) {
        this.core = core;
        this.settings = settings;
        this.acceptors = Transport.eventLoops("iscsi-accept", 1);
        this.workers = Transport.eventLoops("iscsi-io", 0);
    }

    /** Replaces the target list; existing sessions stay, new logins and discovery see the new list. */
    public void setTargets(List<IscsiTarget> targets) {
        this.targets = List.copyOf(targets);
    }

    public List<IscsiTarget> targets() {
        return targets;
    }

    /** Binds every listen address of the group (port 0 picks a free port). Nothing stays bound on failure. */
    public void listen(PortalGroup group) throws IOException {
        if (closed) {
            throw new IOException("iSCSI frontend is closed");
        }
        List<Listener> bound = new ArrayList<>();
        for (InetSocketAddress address : group.listen()) {
            ServerBootstrap b = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(Transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            DigestSettings digests = new DigestSettings(settings.maxRecvDataSegmentLength());
                            // Responses written while a read batch is handled go out in one flush.
                            ch.pipeline().addLast("flush", new FlushConsolidationHandler(
                                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                            ch.pipeline().addLast("decoder", new PduDecoder(digests));
                            ch.pipeline().addLast("encoder", new PduEncoder(digests));
                            ch.pipeline().addLast("connection",
                                    new Connection(registry, group, digests, IscsiFrontend.this::listening));
                        }
                    });
            ChannelFuture f = b.bind(address).awaitUninterruptibly();
            if (!f.isSuccess()) {
                for (Listener l : bound) {
                    l.channel().close().awaitUninterruptibly();
                }
                Throwable cause = f.cause();
                throw new IOException("cannot listen on " + address.getHostString() + ":" + address.getPort()
                        + " (portal group " + group.name() + "): " + (cause == null ? "unknown" : cause.getMessage()),
                        cause);
            }
            bound.add(new Listener(group, f.channel()));
            log.info("portal group {} (tag {}) listening on {}", group.name(), group.tag(), f.channel().localAddress());
        }
        listeners.addAll(bound);
    }

    /** Every address the frontend listens on, with the ports actually bound. */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(l -> (InetSocketAddress) l.channel().localAddress()).toList();
    }

    /** Addresses a portal group really listens on; its configured ones if it is not listening here. */
    private List<InetSocketAddress> listening(PortalGroup group) {
        List<InetSocketAddress> out = listeners.stream().filter(l -> l.group().name().equals(group.name()))
                .map(l -> (InetSocketAddress) l.channel().localAddress()).toList();
        return out.isEmpty() ? group.listen() : out;
    }

    /**
     * Normal sessions that completed login, as {@code ctladm islist} shows them (CTL's kernel sees only those;
     * discovery sessions live and die within ctld).
     */
    public List<SessionInfo> sessions() {
        List<SessionInfo> out = new ArrayList<>();
        for (Connection c : sessions) {
            if (normal(c)) {
                out.add(c.info());
            }
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /**
     * Asks the matching sessions to log out (Async Message, RFC 7143 §11.9.1 event 1); those that have not within
     * the timeout are dropped. Returns how many were asked.
     */
    public int logout(Predicate<SessionInfo> which) {
        int n = 0;
        for (Connection c : matching(which)) {
            SessionParameters p = c.parameters();
            long timeout = Math.max(p.defaultTime2Wait() + p.defaultTime2Retain(),
                    settings.nopInterval().plus(settings.nopTimeout()).toSeconds());
            c.requestLogout(Math.max(timeout, 1));
            n++;
        }
        return n;
    }

    /** Drops the matching sessions now. Returns how many. */
    public int terminate(Predicate<SessionInfo> which) {
        int n = 0;
        for (Connection c : matching(which)) {
            c.terminate("terminated by administrator");
            n++;
        }
        return n;
    }

    private List<Connection> matching(Predicate<SessionInfo> which) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : sessions) {
            if (normal(c) && which.test(c.info())) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean normal(Connection c) {
        SessionParameters p = c.parameters();
        return p != null && !p.discovery();
    }

    /** Asks every session to log out, waits briefly, then closes connections and listeners and frees the threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Listener l : listeners) {
            l.channel().close().awaitUninterruptibly();
        }
        listeners.clear();
        List<Connection> all = new ArrayList<>(sessions);
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (Connection c : all) {
            c.requestLogout(Math.max(1, TimeUnit.MILLISECONDS.toSeconds(CLOSE_GRACE_MILLIS)));
            gone.add(c.closedFuture());
        }
        try {
            CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new))
                    .get(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.info("{} sessions did not log out in time; dropping them", sessions.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<CompletableFuture<Void>> dropped = new ArrayList<>();
        for (Connection c : new ArrayList<>(sessions)) {
            c.terminate("frontend shutting down");
            dropped.add(c.closedFuture());
        }
        try {
            CompletableFuture.allOf(dropped.toArray(CompletableFuture[]::new))
                    .get(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{} sessions still closing at shutdown", sessions.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Registry implements SessionRegistry {
        @Override
        public ScsiService core() {
            return core;
        }

        @Override
        public IscsiSettings settings() {
            return settings;
        }

        @Override
        public List<IscsiTarget> targets() {
            return targets;
        }

        @Override
        public int allocateTsih() {
            int t;
            do {
                t = tsih.incrementAndGet() & 0xffff;
            } while (t == 0);
            return t;
        }

        @Override
        public long allocateSessionId() {
            return sessionIds.incrementAndGet();
        }

        @Override
        public CompletableFuture<Void> register(Connection connection) {
            List<CompletableFuture<Void>> old = new ArrayList<>();
            synchronized (sessions) {
                if (connection.nexus() != null) {
                    for (Connection c : sessions) {
                        if (connection.nexus().equals(c.nexus())) {
                            log.info("session reinstatement: {} logs in again, closing its old session",
                                    connection.nexus().initiatorPort());
                            sessions.remove(c);
                            c.terminate("reinstated by a new login with the same ISID");
                            old.add(c.closedFuture());
                        }
                    }
                }
                sessions.add(connection);
            }
            return CompletableFuture.allOf(old.toArray(CompletableFuture[]::new));
        }

        @Override
        public void unregister(Connection connection) {
            sessions.remove(connection);
        }
    }
}

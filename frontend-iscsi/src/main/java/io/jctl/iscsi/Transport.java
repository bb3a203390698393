package io.jctl.iscsi;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that picks Netty's transport: native epoll when its library loads (Linux; ctld ships it), else
 * NIO. Epoll writes straight from the buffers' memory and wakes a loop through one eventfd, where NIO duplicates
 * a ByteBuffer per buffer written and goes through a selector.
 */
final class Transport {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final boolean EPOLL = useEpoll();

    private Transport() {
    }

    private static boolean useEpoll() {
        if (Boolean.getBoolean("jctl.nio")) {
            log.info("transport: NIO (jctl.nio set)");
            return false;
        }
        if (Epoll.isAvailable()) {
            log.info("transport: native epoll");
            return true;
        }
        log.info("transport: NIO (epoll unavailable: {})", Epoll.unavailabilityCause().toString());
        return false;
    }

    /**
     * @param threads 0: {@link EventLoopCount#configured()}
     */
    static EventLoopGroup eventLoops(String name, int threads) {
        int n = threads > 0 ? threads : EventLoopCount.configured();
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return EPOLL ? new EpollEventLoopGroup(n, factory) : new NioEventLoopGroup(n, factory);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}

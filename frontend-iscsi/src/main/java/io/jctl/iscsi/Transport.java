package io.jctl.iscsi;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The one place that picks Netty's transport (NIO today; epoll would slot in here). */
final class Transport {
    private Transport() {
    }

    static EventLoopGroup eventLoops(String name, int threads) {
        return new NioEventLoopGroup(threads, new DefaultThreadFactory(name, true));
    }

    static Class<? extends ServerChannel> serverChannel() {
        return NioServerSocketChannel.class;
    }
}

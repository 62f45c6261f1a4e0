package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.Version;
import java.util.concurrent.TimeUnit;

/**
 * The kit's plain Netty echo server (write on read, flush on read-complete) on Netty 4.2, whose
 * io_uring transport is the peer of our uring loop; epoll on the same Netty version for reference.
 * One event-loop group of N threads accepts and echoes. Binds 127.0.0.1 only; exits by itself after
 * --max-seconds.
 *
 * java -jar target/netty-uring-echo.jar --port 25000 --transport io_uring|epoll --threads 1
 */
public final class NettyUringEchoServer {

    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg); }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    public static void main(String[] args) throws Exception {
        int port = 25000;
        int threads = 1;
        String transport = "io_uring";
        double maxSeconds = 900;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--transport": transport = args[++i]; break;
                case "--max-seconds": maxSeconds = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown arg " + args[i]);
            }
        }
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channelClass;
        if (transport.equals("io_uring")) {
            if (!IoUring.isAvailable()) {
                throw new IllegalStateException("io_uring unavailable", IoUring.unavailabilityCause());
            }
            factory = IoUringIoHandler.newFactory();
            channelClass = IoUringServerSocketChannel.class;
        } else if (transport.equals("epoll")) {
            if (!Epoll.isAvailable()) {
                throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
            }
            factory = EpollIoHandler.newFactory();
            channelClass = EpollServerSocketChannel.class;
        } else {
            throw new IllegalArgumentException("transport must be io_uring or epoll");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, factory);
        EchoHandler handler = new EchoHandler();
        try {
            ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) { ch.pipeline().addLast(handler); }
                });
            Channel ch = b.bind("127.0.0.1", port).sync().channel();
            String nettyVersion = Version.identify().getOrDefault("netty-transport",
                    Version.identify().values().iterator().next()).artifactVersion();
            System.out.println("READY netty42-" + transport + "-" + threads + " pid=" + ProcessHandle.current().pid()
                    + " port=" + port + " netty=" + nettyVersion + " java=" + System.getProperty("java.vm.version"));
            System.out.flush();
            if (!ch.closeFuture().await((long) (maxSeconds * 1000))) {
                System.out.println("max-seconds reached, exiting");
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}

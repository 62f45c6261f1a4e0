package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Version;
import java.io.File;

/**
 * The shared kit's Netty echo server (the classic EchoServerHandler: write on read, flush on
 * read-complete) behind an {@code SslHandler}: the TLS peer of asyncio.bench/bin/compare-tls.
 * The key and certificate come from PEM files; {@code --provider jdk} runs the JDK's SSLEngine
 * (the one our loops use), {@code --provider openssl} netty-tcnative's BoringSSL.
 *
 * java -jar target/netty-tls-echo.jar --port 25000 --transport epoll|nio --threads 1
 *      --cert cert.pem --key key.pem --provider jdk|openssl
 */
public final class NettyTlsEchoServer {

    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg); }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    public static void main(String[] args) throws Exception {
        int port = 25000, threads = 1;
        String transport = "epoll", provider = "jdk", cert = null, key = null;
        double maxSeconds = 900;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--transport": transport = args[++i]; break;
                case "--max-seconds": maxSeconds = Double.parseDouble(args[++i]); break;
                case "--cert": cert = args[++i]; break;
                case "--key": key = args[++i]; break;
                case "--provider": provider = args[++i]; break;
                default: throw new IllegalArgumentException("unknown arg " + args[i]);
            }
        }
        if (cert == null || key == null) throw new IllegalArgumentException("--cert and --key are required");
        SslProvider sslProvider;
        if (provider.equals("jdk")) {
            sslProvider = SslProvider.JDK;
        } else if (provider.equals("openssl")) {
            if (!OpenSsl.isAvailable()) throw new IllegalStateException("netty-tcnative unavailable", OpenSsl.unavailabilityCause());
            sslProvider = SslProvider.OPENSSL;
        } else {
            throw new IllegalArgumentException("provider must be jdk or openssl");
        }
        SslContext ssl = SslContextBuilder.forServer(new File(cert), new File(key)).sslProvider(sslProvider).build();
        EventLoopGroup group;
        Class<? extends ServerChannel> channelClass;
        if (transport.equals("epoll")) {
            if (!Epoll.isAvailable()) throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
            group = new EpollEventLoopGroup(threads);
            channelClass = EpollServerSocketChannel.class;
        } else if (transport.equals("nio")) {
            group = new NioEventLoopGroup(threads);
            channelClass = NioServerSocketChannel.class;
        } else {
            throw new IllegalArgumentException("transport must be epoll or nio");
        }
        final EchoHandler handler = new EchoHandler();
        try {
            ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), handler);
                    }
                });
            Channel ch = b.bind("127.0.0.1", port).sync().channel();
            String nettyVersion = Version.identify().getOrDefault("netty-handler",
                    Version.identify().values().iterator().next()).artifactVersion();
            String engine = provider.equals("openssl") ? OpenSsl.versionString() : "JDK " + System.getProperty("java.version");
            System.out.println("READY netty-tls-" + transport + "-" + threads + " pid=" + ProcessHandle.current().pid()
                    + " port=" + port + " netty=" + nettyVersion + " provider=" + provider + " (" + engine + ")");
            System.out.flush();
            if (!ch.closeFuture().await((long) (maxSeconds * 1000))) {
                System.out.println("max-seconds reached, exiting");
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}

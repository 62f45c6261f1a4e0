package asyncio.bench;

import asyncio.api.EventLoopGroup;
import asyncio.api.GroupServer;
import asyncio.api.transports.ServerOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@link EchoServer}'s protocol echo on an {@link EventLoopGroup} of N loops, for the shared kit's
 * load generator: every loop serves the port, by {@code reuse_port} or through one acceptor.
 * Prints {@code READY port= pid= loops= share=} once listening; stops on SIGTERM or after
 * {@code --max-seconds}, closing the group.
 *
 * <pre>GroupEchoServer [--loops N] [--share reuse-port|acceptor] [--port N] [--host H] [--loop NAME] [--max-seconds S]</pre>
 */
public final class GroupEchoServer {
    private GroupEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int loops = 2;
        String share = "reuse-port";
        int port = 0;
        String host = "127.0.0.1";
        double maxSeconds = 900;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                case "--share" -> share = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--host" -> host = args[i + 1];
                case "--loop" -> System.setProperty("asyncio.loop", args[i + 1]);
                case "--max-seconds" -> maxSeconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!share.equals("reuse-port") && !share.equals("acceptor")) {
            throw new IllegalArgumentException("--share must be reuse-port or acceptor, not " + share);
        }
        EventLoopGroup group = EventLoopGroup.start(loops);
        GroupServer server = group.createServer(EchoServer.ProtocolEcho::new, host, port,
                new ServerOptions().reusePort(share.equals("reuse-port")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            group.close();
            stopped.countDown();
        }));
        System.out.println("READY port=" + server.port() + " pid=" + ProcessHandle.current().pid() + " loops=" + loops
                + " share=" + share + " loop=" + group.loops().get(0).getClass().getSimpleName());
        System.out.flush();
        if (!stopped.await((long) (maxSeconds * 1000), TimeUnit.MILLISECONDS)) {
            System.exit(0);
        }
    }
}

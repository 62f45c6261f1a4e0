package asyncio.spi;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.ReturnWhen;
import asyncio.api.Task;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Opens client connections: resolves, tries every address in turn or races them with Happy
 * Eyeballs (RFC 8305), and wires the winning socket to a protocol. Mirrors
 * {@code BaseEventLoop.create_connection} with {@code _connect_sock} and {@code staggered_race}.
 */
final class Connector {
    private Connector() {
    }

    static <P extends BaseProtocol> Connection<P> connect(ReadinessEventLoop loop, Supplier<? extends P> factory, String host,
                                                          int port, ConnectionOptions options) throws IOException {
        if (host == null && options.sock() == null) {
            throw new IllegalArgumentException("host and port was not specified and no sock specified");
        }
        StreamSocket socket = options.sock() != null ? loop.adopt(options.sock())
                : connectSomewhere(loop, host, port, options);
        return wire(loop, socket, factory, true);
    }

    /** Wraps a connected socket in a transport with a new protocol; returns once {@code connectionMade} ran. */
    static <P extends BaseProtocol> Connection<P> wire(ReadinessEventLoop loop, StreamSocket socket, Supplier<? extends P> factory,
                                                       boolean tcp) throws IOException {
        SocketTransport transport;
        P protocol;
        Future<Void> waiter = loop.createFuture();
        try {
            // A given channel may be a Unix socket even where TCP is expected: Nagle is TCP's only.
            if (tcp && socket.localAddress() instanceof InetSocketAddress) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            protocol = factory.get();
            transport = new SocketTransport(loop, socket, protocol, waiter, null);
        } catch (IOException | RuntimeException | Error failed) {
            ReadinessEventLoop.closeQuietly(socket);
            throw failed;
        }
        try {
            waiter.await();
        } catch (RuntimeException | Error failed) {
            transport.close();
            throw failed;
        }
        return new Connection<>(transport, protocol);
    }

    private static StreamSocket connectSomewhere(ReadinessEventLoop loop, String host, int port, ConnectionOptions options)
            throws IOException {
        List<InetSocketAddress> addresses = Resolver.resolve(loop, host, port, options.family()).await();
        if (addresses.isEmpty()) {
            throw new IOException("getaddrinfo() returned empty list");
        }
        List<InetSocketAddress> locals = null;
        if (options.localAddr() instanceof InetSocketAddress local) {
            locals = Resolver.resolve(loop, local.getHostString(), local.getPort(), options.family()).await();
        }
        if (options.interleave() != null && options.interleave() > 0) {
            addresses = interleave(addresses, options.interleave());
        }
        List<IOException> errors = new ArrayList<>();
        StreamSocket socket = options.happyEyeballsDelay() == null
                ? trySequentially(loop, addresses, locals, errors)
                : race(loop, addresses, locals, errors, options.happyEyeballsDelay());
        if (socket == null) {
            throw combine(errors, options.allErrors());
        }
        return socket;
    }

    private static StreamSocket trySequentially(ReadinessEventLoop loop, List<InetSocketAddress> addresses,
                                                List<InetSocketAddress> locals, List<IOException> errors) {
        for (InetSocketAddress address : addresses) {
            try {
                return connectOne(loop, address, locals, errors);
            } catch (IOException failed) {
                // recorded in errors; try the next address
            }
        }
        return null;
    }

    /** Starts an attempt every {@code delay} seconds, or at once when the previous one failed; the first to connect wins. */
    private static StreamSocket race(ReadinessEventLoop loop, List<InetSocketAddress> addresses,
                                     List<InetSocketAddress> locals, List<IOException> errors, double delay) {
        Future<StreamSocket> winner = loop.createFuture();
        List<Task<StreamSocket>> attempts = new ArrayList<>();
        int[] finished = {0};
        try {
            for (int index = 0; index < addresses.size() && !winner.done(); index++) {
                InetSocketAddress address = addresses.get(index);
                Future<Object> failed = loop.createFuture();
                Task<StreamSocket> attempt = new Task<>(() -> connectOne(loop, address, locals, errors), loop,
                        "happy-eyeballs-" + address);
                attempts.add(attempt);
                attempt.addDoneCallback(done -> {
                    finished[0]++;
                    boolean connected = !done.cancelled() && done.exception() == null;
                    if (connected && !winner.done()) {
                        winner.setResult(done.result());
                    } else if (connected) {
                        ReadinessEventLoop.closeQuietly(done.result());
                    } else if (!failed.done()) {
                        failed.setResult(null);
                    }
                    if (finished[0] == addresses.size() && !winner.done()) {
                        winner.setResult(null);
                    }
                });
                if (index < addresses.size() - 1) {
                    @SuppressWarnings("unchecked")
                    Future<Object> anyWinner = (Future<Object>) (Future<?>) winner;
                    Asyncio.wait(List.of(failed, anyWinner), delay, ReturnWhen.FIRST_COMPLETED);
                }
            }
            return winner.await();
        } finally {
            StreamSocket won = winner.done() && !winner.cancelled() ? winner.result() : null;
            for (Task<StreamSocket> attempt : attempts) {
                if (!attempt.done()) {
                    attempt.cancel();
                } else if (won == null && !attempt.cancelled() && attempt.exception() == null) {
                    // We were cancelled after this one connected: nobody will use it.
                    ReadinessEventLoop.closeQuietly(attempt.result());
                }
            }
        }
    }

    private static StreamSocket connectOne(ReadinessEventLoop loop, InetSocketAddress address,
                                           List<InetSocketAddress> locals, List<IOException> errors) throws IOException {
        ProtocolFamily family = Resolver.family(address.getAddress());
        StreamSocket socket = null;
        try {
            socket = loop.openStreamSocket(family);
            if (locals != null) {
                bindLocal(socket, family, locals, errors);
            }
            sockConnect(loop, socket, address);
            return socket;
        } catch (IOException failed) {
            errors.add(failed);
            ReadinessEventLoop.closeQuietly(socket);
            throw failed;
        } catch (RuntimeException | Error failed) {
            ReadinessEventLoop.closeQuietly(socket);
            throw failed;
        }
    }

    private static void bindLocal(StreamSocket socket, ProtocolFamily family, List<InetSocketAddress> locals,
                                  List<IOException> errors) throws IOException {
        IOException last = null;
        for (InetSocketAddress local : locals) {
            if (Resolver.family(local.getAddress()) != family) {
                continue;
            }
            try {
                socket.bind(local);
                return;
            } catch (IOException failed) {
                last = bindError(local, failed);
                errors.add(last);
            }
        }
        if (last != null) {
            errors.remove(last);
            throw last;
        }
        throw new IOException("no matching local address with family=" + family + " found");
    }

    /** Connects without blocking the loop. Mirrors {@code loop.sock_connect()}. */
    static void sockConnect(ReadinessEventLoop loop, StreamSocket socket, SocketAddress address) throws IOException {
        try {
            if (socket.connect(address)) {
                return;
            }
        } catch (IOException failed) {
            throw connectFailed(address, failed);
        }
        Future<Void> connected = loop.createFuture();
        Readiness readiness = loop.register(socket, new ReadyListener() {
            @Override
            public void readable() {
            }

            @Override
            public void writable() {
                if (connected.done()) {
                    return;
                }
                try {
                    socket.finishConnect();
                    connected.setResult(null);
                } catch (IOException failed) {
                    connected.setException(connectFailed(address, failed));
                }
            }
        });
        readiness.watchWrite(true);
        try {
            connected.await();
        } finally {
            readiness.watchWrite(false);
        }
    }

    static IOException connectFailed(SocketAddress address, IOException cause) {
        String message = "Connect call failed " + address + ": " + cause.getMessage();
        IOException error = cause instanceof ConnectException ? new ConnectException(message)
                : cause instanceof NoRouteToHostException ? new NoRouteToHostException(message)
                : new IOException(message);
        error.initCause(cause);
        return error;
    }

    static IOException bindError(SocketAddress address, IOException cause) {
        String reason = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        IOException error = cause instanceof BindException
                ? new BindException("error while attempting to bind on address " + address + ": " + reason)
                : new IOException("error while attempting to bind on address " + address + ": " + reason);
        error.initCause(cause);
        return error;
    }

    private static IOException combine(List<IOException> errors, boolean allErrors) {
        if (errors.isEmpty()) {
            return new IOException("no address to connect to");
        }
        if (!allErrors) {
            if (errors.size() == 1) {
                return errors.get(0);
            }
            String model = String.valueOf(errors.get(0).getMessage());
            if (errors.stream().allMatch(error -> model.equals(String.valueOf(error.getMessage())))) {
                return errors.get(0);
            }
        }
        StringBuilder message = new StringBuilder(allErrors ? "create_connection failed: " : "Multiple exceptions: ");
        for (int i = 0; i < errors.size(); i++) {
            message.append(i == 0 ? "" : ", ").append(errors.get(i).getMessage());
        }
        IOException combined = new IOException(message.toString());
        errors.forEach(combined::addSuppressed);
        return combined;
    }

    /** Reorders addresses so families alternate, {@code firstFamilyCount} of the first family first. Mirrors {@code _interleave_addrinfos}. */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> addresses, int firstFamilyCount) {
        Map<ProtocolFamily, List<InetSocketAddress>> byFamily = new LinkedHashMap<>();
        for (InetSocketAddress address : addresses) {
            byFamily.computeIfAbsent(Resolver.family(address.getAddress()), key -> new ArrayList<>()).add(address);
        }
        List<List<InetSocketAddress>> lists = new ArrayList<>();
        for (List<InetSocketAddress> list : byFamily.values()) {
            lists.add(new ArrayList<>(list));
        }
        List<InetSocketAddress> reordered = new ArrayList<>();
        if (firstFamilyCount > 1) {
            List<InetSocketAddress> first = lists.get(0);
            int take = Math.min(firstFamilyCount - 1, first.size());
            reordered.addAll(first.subList(0, take));
            first.subList(0, take).clear();
        }
        for (int round = 0; ; round++) {
            boolean any = false;
            for (List<InetSocketAddress> list : lists) {
                if (round < list.size()) {
                    reordered.add(list.get(round));
                    any = true;
                }
            }
            if (!any) {
                return reordered;
            }
        }
    }
}

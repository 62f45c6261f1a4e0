package asyncio.spi.proactor;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.ReturnWhen;
import asyncio.api.Task;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.spi.Resolver;
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
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Opens client connections on a completion-based loop: resolves, submits a connect to each
 * address in turn or races them with Happy Eyeballs, and wires the first socket that connects. Mirrors
 * {@code BaseEventLoop.create_connection} over {@code IocpProactor.connect}.
 */
final class ProactorConnector {
    private ProactorConnector() {
    }

    static <P extends BaseProtocol> Connection<P> connect(ProactorEventLoop loop, Supplier<? extends P> factory,
                                                          String host, int port, ConnectionOptions options)
            throws IOException {
        if (host == null && options.sock() == null) {
            throw new IllegalArgumentException("host and port was not specified and no sock specified");
        }
        ProactorSocket socket = options.sock() != null ? loop.adopt(options.sock())
                : connectSomewhere(loop, host, port, options);
        return wire(loop, socket, factory, true);
    }

    /** Wraps a connected socket in a transport with a new protocol; returns once {@code connectionMade} ran. */
    static <P extends BaseProtocol> Connection<P> wire(ProactorEventLoop loop, ProactorSocket socket,
                                                       Supplier<? extends P> factory, boolean tcp) throws IOException {
        ProactorSocketTransport transport;
        P protocol;
        Future<Void> waiter = loop.createFuture();
        try {
            if (tcp && socket.localAddress() instanceof InetSocketAddress) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            protocol = factory.get();
            transport = new ProactorSocketTransport(loop, socket, protocol, waiter, null);
        } catch (IOException | RuntimeException | Error failed) {
            ProactorEventLoop.closeQuietly(socket);
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

    private static ProactorSocket connectSomewhere(ProactorEventLoop loop, String host, int port,
                                                   ConnectionOptions options) throws IOException {
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
        ProactorSocket socket = options.happyEyeballsDelay() == null
                ? trySequentially(loop, addresses, locals, errors)
                : race(loop, addresses, locals, errors, options.happyEyeballsDelay());
        if (socket == null) {
            throw combine(errors, options.allErrors());
        }
        return socket;
    }

    private static ProactorSocket trySequentially(ProactorEventLoop loop, List<InetSocketAddress> addresses,
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

    /**
     * Happy Eyeballs (RFC 8305): starts an attempt every {@code delay} seconds, or at once when the
     * previous one failed; the first to connect wins and the others are cancelled (their connect
     * operations too). Mirrors {@code staggered_race}.
     */
    private static ProactorSocket race(ProactorEventLoop loop, List<InetSocketAddress> addresses,
                                       List<InetSocketAddress> locals, List<IOException> errors, double delay) {
        Future<ProactorSocket> winner = loop.createFuture();
        List<Task<ProactorSocket>> attempts = new ArrayList<>();
        int[] finished = {0};
        try {
            for (int index = 0; index < addresses.size() && !winner.done(); index++) {
                InetSocketAddress address = addresses.get(index);
                Future<Object> failed = loop.createFuture();
                Task<ProactorSocket> attempt = new Task<>(() -> connectOne(loop, address, locals, errors), loop,
                        "happy-eyeballs-" + address);
                attempts.add(attempt);
                attempt.addDoneCallback(done -> {
                    finished[0]++;
                    boolean connected = !done.cancelled() && done.exception() == null;
                    if (connected && !winner.done()) {
                        winner.setResult(done.result());
                    } else if (connected) {
                        ProactorEventLoop.closeQuietly(done.result());
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
            ProactorSocket won = winner.done() && !winner.cancelled() ? winner.result() : null;
            for (Task<ProactorSocket> attempt : attempts) {
                if (!attempt.done()) {
                    attempt.cancel();
                } else if (won == null && !attempt.cancelled() && attempt.exception() == null) {
                    // We were cancelled after this one connected: nobody will use it.
                    ProactorEventLoop.closeQuietly(attempt.result());
                }
            }
        }
    }

    /** Reorders addresses so families alternate, {@code firstFamilyCount} of the first family first. Mirrors {@code _interleave_addrinfos}. */
    private static List<InetSocketAddress> interleave(List<InetSocketAddress> addresses, int firstFamilyCount) {
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

    private static ProactorSocket connectOne(ProactorEventLoop loop, InetSocketAddress address,
                                             List<InetSocketAddress> locals, List<IOException> errors)
            throws IOException {
        ProtocolFamily family = Resolver.family(address.getAddress());
        ProactorSocket socket = null;
        try {
            socket = loop.openStreamSocket(family);
            if (locals != null) {
                bindLocal(socket, family, locals, errors);
            }
            connect(loop, socket, address);
            return socket;
        } catch (IOException failed) {
            errors.add(failed);
            ProactorEventLoop.closeQuietly(socket);
            throw failed;
        } catch (RuntimeException | Error failed) {
            ProactorEventLoop.closeQuietly(socket);
            throw failed;
        }
    }

    private static void bindLocal(ProactorSocket socket, ProtocolFamily family, List<InetSocketAddress> locals,
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

    /**
     * Connects through the port and waits for the completion. A cancelled wait cancels the
     * operation; the caller closes the socket, which aborts it if the cancel came too late.
     */
    static void connect(ProactorEventLoop loop, ProactorSocket socket, SocketAddress address) throws IOException {
        Future<Void> connected = loop.createFuture();
        Operation operation = loop.port().connect(socket, address, new Completion<>() {
            @Override
            public void completed(Void result) {
                if (!connected.done()) {
                    connected.setResult(null);
                }
            }

            @Override
            public void failed(IOException error) {
                if (!connected.done()) {
                    connected.setException(connectFailed(address, error));
                }
            }

            @Override
            public void cancelled() {
                if (!connected.done()) {
                    connected.cancel();
                }
            }
        });
        try {
            connected.await();
        } catch (CancelledError cancelled) {
            operation.cancel();
            throw cancelled;
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
        String reason = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
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
}

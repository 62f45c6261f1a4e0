package asyncio.spi;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.ReturnWhen;
import asyncio.api.Task;
import asyncio.api.transports.ConnectionOptions;
import asyncio.spi.readiness.Readiness;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loop-independent half of {@code create_connection}: resolves the host, orders the addresses,
 * tries them in turn or races them with Happy Eyeballs (RFC 8305), and returns the first socket
 * that connects. Readiness and completion-based loops share it; each supplies a {@link Dialer}
 * for what differs (how a socket is opened, bound and connected). Mirrors the address loop of
 * {@code BaseEventLoop.create_connection} with {@code _connect_sock}, {@code staggered_race} and
 * {@code _interleave_addrinfos}.
 */
public final class AddressConnector {
    private AddressConnector() {
    }

    /** What a loop does to one address attempt: open a socket of a family, bind it, connect it without blocking the loop. */
    public interface Dialer<S extends Closeable> {
        /** Opens a new non-blocking stream socket of the family. */
        S open(ProtocolFamily family) throws IOException;

        /** Binds the socket to a local address. */
        void bind(S socket, SocketAddress local) throws IOException;

        /** Connects the socket, suspending the calling task until it is connected. */
        void connect(S socket, InetSocketAddress address) throws IOException;
    }

    /**
     * Connects a new socket to {@code host:port} as {@code create_connection} does with the
     * family, local address, interleave, Happy Eyeballs delay and all-errors options.
     */
    public static <S extends Closeable> S connect(EventLoop loop, String host, int port, ConnectionOptions options,
                                                  Dialer<S> dialer) throws IOException {
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
        S socket = options.happyEyeballsDelay() == null
                ? trySequentially(dialer, addresses, locals, errors)
                : race(loop, dialer, addresses, locals, errors, options.happyEyeballsDelay());
        if (socket == null) {
            throw combine(errors, options.allErrors());
        }
        return socket;
    }

    private static <S extends Closeable> S trySequentially(Dialer<S> dialer, List<InetSocketAddress> addresses,
                                                           List<InetSocketAddress> locals, List<IOException> errors) {
        for (InetSocketAddress address : addresses) {
            try {
                return connectOne(dialer, address, locals, errors);
            } catch (IOException failed) {
                // recorded in errors; try the next address
            }
        }
        return null;
    }

    /**
     * Starts an attempt every {@code delay} seconds, or at once when the previous one failed; the
     * first to connect wins and the others are cancelled. Mirrors {@code staggered_race}.
     */
    private static <S extends Closeable> S race(EventLoop loop, Dialer<S> dialer, List<InetSocketAddress> addresses,
                                                List<InetSocketAddress> locals, List<IOException> errors,
                                                double delay) {
        Future<S> winner = loop.createFuture();
        List<Task<S>> attempts = new ArrayList<>();
        int[] finished = {0};
        try {
            for (int index = 0; index < addresses.size() && !winner.done(); index++) {
                InetSocketAddress address = addresses.get(index);
                Future<Object> failed = loop.createFuture();
                Task<S> attempt = new Task<>(() -> connectOne(dialer, address, locals, errors), loop,
                        "happy-eyeballs-" + address);
                attempts.add(attempt);
                attempt.addDoneCallback(done -> {
                    finished[0]++;
                    boolean connected = !done.cancelled() && done.exception() == null;
                    if (connected && !winner.done()) {
                        winner.setResult(done.result());
                    } else if (connected) {
                        BaseEventLoop.closeQuietly(done.result());
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
            S won = winner.done() && !winner.cancelled() ? winner.result() : null;
            for (Task<S> attempt : attempts) {
                if (!attempt.done()) {
                    attempt.cancel();
                } else if (won == null && !attempt.cancelled() && attempt.exception() == null) {
                    // We were cancelled after this one connected: nobody will use it.
                    BaseEventLoop.closeQuietly(attempt.result());
                }
            }
        }
    }

    private static <S extends Closeable> S connectOne(Dialer<S> dialer, InetSocketAddress address,
                                                      List<InetSocketAddress> locals, List<IOException> errors)
            throws IOException {
        ProtocolFamily family = Resolver.family(address.getAddress());
        S socket = null;
        try {
            socket = dialer.open(family);
            if (locals != null) {
                bindLocal(dialer, socket, family, locals, errors);
            }
            dialer.connect(socket, address);
            return socket;
        } catch (IOException failed) {
            errors.add(failed);
            BaseEventLoop.closeQuietly(socket);
            throw failed;
        } catch (RuntimeException | Error failed) {
            BaseEventLoop.closeQuietly(socket);
            throw failed;
        }
    }

    private static <S extends Closeable> void bindLocal(Dialer<S> dialer, S socket, ProtocolFamily family,
                                                        List<InetSocketAddress> locals, List<IOException> errors)
            throws IOException {
        IOException last = null;
        for (InetSocketAddress local : locals) {
            if (Resolver.family(local.getAddress()) != family) {
                continue;
            }
            try {
                dialer.bind(socket, local);
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

    /** The error {@code sock_connect} raises: asyncio's message, keeping the kind of the cause. */
    public static IOException connectFailed(SocketAddress address, IOException cause) {
        String message = "Connect call failed " + address + ": " + cause.getMessage();
        IOException error = cause instanceof ConnectException ? new ConnectException(message)
                : cause instanceof NoRouteToHostException ? new NoRouteToHostException(message)
                : new IOException(message);
        error.initCause(cause);
        return error;
    }

    /** The error asyncio raises when a bind fails: its message, keeping a {@link BindException} one. */
    public static IOException bindError(SocketAddress address, IOException cause) {
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

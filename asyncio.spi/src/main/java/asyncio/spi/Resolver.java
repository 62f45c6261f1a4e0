package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.NameInfo;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name resolution for a loop: numeric addresses are answered at once, names are resolved on the
 * default executor so the loop never blocks. Mirrors {@code loop.getaddrinfo()} and
 * {@code _ipaddr_info}'s shortcut. Public so that the completion-based loops of
 * {@code asyncio.spi.proactor} resolve as the readiness loops do.
 */
public final class Resolver {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Resolver() {
    }

    /** Resolves {@code host} for {@code port}, filtered by {@code family} (null: any). Mirrors {@code loop.getaddrinfo()}. */
    public static Future<List<InetSocketAddress>> resolve(EventLoop loop, String host, int port, ProtocolFamily family) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        List<InetSocketAddress> numeric = numeric(host, port, family);
        if (numeric != null) {
            Future<List<InetSocketAddress>> done = loop.createFuture();
            if (numeric.isEmpty()) {
                // What getaddrinfo() says of a literal of the other family (EAI_ADDRFAMILY).
                done.setException(new UnknownHostException(host + ": Address family for hostname not supported"));
            } else {
                done.setResult(numeric);
            }
            return done;
        }
        return loop.runInExecutor(null, () -> lookUp(host, port, family));
    }

    /** The host name and service of {@code address}. Mirrors {@code loop.getnameinfo()}. */
    public static Future<NameInfo> nameOf(EventLoop loop, InetSocketAddress address) {
        return loop.runInExecutor(null, () -> new NameInfo(address.getAddress().getHostName(),
                Integer.toString(address.getPort())));
    }

    /** The addresses of a numeric host (no lookup needed), or null when {@code host} is a name. */
    private static List<InetSocketAddress> numeric(String host, int port, ProtocolFamily family) {
        if (host == null || !(IPV4.matcher(host).matches() || host.indexOf(':') >= 0)) {
            return null;
        }
        try {
            // A literal never triggers a lookup in InetAddress.getByName.
            InetAddress address = InetAddress.getByName(host);
            return filter(List.of(address), port, family);
        } catch (UnknownHostException malformed) {
            return null;
        }
    }

    private static List<InetSocketAddress> lookUp(String host, int port, ProtocolFamily family) throws UnknownHostException {
        InetAddress[] addresses = host == null ? new InetAddress[] {InetAddress.getLoopbackAddress()}
                : InetAddress.getAllByName(host);
        List<InetSocketAddress> result = filter(List.of(addresses), port, family);
        if (result.isEmpty()) {
            throw new UnknownHostException(host + ": no address of family " + family);
        }
        return result;
    }

    private static List<InetSocketAddress> filter(List<InetAddress> addresses, int port, ProtocolFamily family) {
        List<InetSocketAddress> result = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (family == null || family(address) == family) {
                result.add(new InetSocketAddress(address, port));
            }
        }
        return result;
    }

    /** INET or INET6, as {@code address} is. */
    public static ProtocolFamily family(InetAddress address) {
        return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}

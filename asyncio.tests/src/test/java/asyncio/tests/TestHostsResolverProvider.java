package asyncio.tests;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives the test JVM a few names under the reserved {@code .test} domain that resolve to several
 * loopback addresses of both families, so Happy Eyeballs and address interleaving can be tested
 * without DNS; names under {@code .invalid} fail at once; every other name goes to the JDK's resolver.
 */
public final class TestHostsResolverProvider extends InetAddressResolverProvider {
    /** Resolves to 127.0.0.1 and ::1. */
    static final String DUAL = "dual.asyncio.test";
    /** Resolves to 127.0.0.1, 127.0.0.2 and ::1. */
    static final String TRIPLE = "triple.asyncio.test";

    private static final Map<String, List<String>> HOSTS = Map.of(
            DUAL, List.of("127.0.0.1", "::1"),
            TRIPLE, List.of("127.0.0.1", "127.0.0.2", "::1"));

    /** Found by ServiceLoader. */
    public TestHostsResolverProvider() {
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                String name = host.toLowerCase(Locale.ROOT);
                if (name.endsWith(".invalid")) {
                    throw new UnknownHostException(host + ": Name or service not known");
                }
                List<String> literals = HOSTS.get(name);
                return literals == null ? builtin.lookupByName(host, policy) : resolve(host, literals, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    private static Stream<InetAddress> resolve(String host, List<String> literals, InetAddressResolver.LookupPolicy policy)
            throws UnknownHostException {
        int wanted = policy.characteristics();
        boolean v4 = (wanted & InetAddressResolver.LookupPolicy.IPV4) != 0;
        boolean v6 = (wanted & InetAddressResolver.LookupPolicy.IPV6) != 0;
        List<InetAddress> addresses = new java.util.ArrayList<>();
        for (String literal : literals) {
            // A literal never reaches a resolver, so this cannot recurse.
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet4Address ? v4 : v6) {
                addresses.add(InetAddress.getByAddress(host, address.getAddress()));
            }
        }
        if ((wanted & InetAddressResolver.LookupPolicy.IPV4_FIRST) != 0) {
            addresses.sort(Comparator.comparing(address -> !(address instanceof Inet4Address)));
        } else if ((wanted & InetAddressResolver.LookupPolicy.IPV6_FIRST) != 0) {
            addresses.sort(Comparator.comparing(address -> address instanceof Inet4Address));
        }
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host + ": no address of the wanted family");
        }
        return addresses.stream();
    }

    @Override
    public String name() {
        return "asyncio test hosts";
    }
}

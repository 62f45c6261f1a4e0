package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import asyncio.api.EventLoop;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.ServerOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short forms of {@code loop.start_tls()} fill in asyncio's defaults (client side, no server
 * hostname, 60 s handshake, 30 s shutdown), and every TLS timeout also takes a {@link Duration}.
 */
class StartTlsFormsTest {
    private final List<List<Object>> calls = new ArrayList<>();

    /** A loop whose only abstract method called here, the full startTls, records its arguments. */
    private EventLoop recordingLoop() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("startTls")) {
                calls.add(Arrays.asList(args).subList(3, 7));
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (EventLoop) Proxy.newProxyInstance(EventLoop.class.getClassLoader(), new Class<?>[] {EventLoop.class}, handler);
    }

    @Test
    void shortFormsFillInAsyncioDefaults() {
        EventLoop loop = recordingLoop();
        loop.startTls(null, null, null);
        loop.startTls(null, null, null, true);
        loop.startTls(null, null, null, false, "example.org");
        loop.startTls(null, null, null, false, "example.org", Duration.ofMillis(1500), Duration.ofSeconds(2));
        assertEquals(List.of(
                Arrays.asList(false, null, 60.0, 30.0),
                Arrays.asList(true, null, 60.0, 30.0),
                Arrays.asList(false, "example.org", 60.0, 30.0),
                Arrays.asList(false, "example.org", 1.5, 2.0)), calls);
    }

    @Test
    void optionsTakeTimeoutsAsDurations() {
        ConnectionOptions connection = new ConnectionOptions().sslHandshakeTimeout(Duration.ofMillis(250))
                .sslShutdownTimeout(Duration.ofSeconds(3)).happyEyeballsDelay(Duration.ofMillis(300));
        assertEquals(0.25, connection.sslHandshakeTimeout());
        assertEquals(3.0, connection.sslShutdownTimeout());
        assertEquals(0.3, connection.happyEyeballsDelay());
        ServerOptions server = new ServerOptions().sslHandshakeTimeout(Duration.ofSeconds(5)).sslShutdownTimeout(Duration.ofMillis(100));
        assertEquals(5.0, server.sslHandshakeTimeout());
        assertEquals(0.1, server.sslShutdownTimeout());
        assertThrows(IllegalArgumentException.class, () -> new ConnectionOptions().sslHandshakeTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new ServerOptions().sslShutdownTimeout((Duration) null));
    }
}

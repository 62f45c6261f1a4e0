package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import asyncio.api.EventLoop;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.ServerOptions;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS options asyncio checks at the call: a TLS timeout means nothing on a plain connection
 * or server, and TLS to an empty host needs a server name. Nothing is connected or bound.
 */
@ExtendWith(NoDescriptorLeaks.class)
class TlsOptionChecksTest {
    @TempDir
    Path directory;

    private static void assertRefused(String message, Executable call) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, refused.getMessage());
    }

    @LoopTest
    void aTlsTimeoutWithoutTlsIsRefusedByCreateConnection(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertRefused("ssl_handshake_timeout is only meaningful with ssl", () -> loop.createConnection(
                    RecordingProtocol::new, Net.LOCALHOST, 1, new ConnectionOptions().sslHandshakeTimeout(5)));
            assertRefused("ssl_shutdown_timeout is only meaningful with ssl", () -> loop.createConnection(
                    RecordingProtocol::new, Net.LOCALHOST, 1, new ConnectionOptions().sslShutdownTimeout(5)));
        }
    }

    @LoopTest
    void aTlsTimeoutWithoutTlsIsRefusedByCreateServer(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertRefused("ssl_handshake_timeout is only meaningful with ssl", () -> loop.createServer(
                    EchoProtocol::new, List.of(Net.LOCALHOST), 0, new ServerOptions().sslHandshakeTimeout(5)));
            assertRefused("ssl_shutdown_timeout is only meaningful with ssl", () -> loop.createServer(
                    EchoProtocol::new, List.of(Net.LOCALHOST), 0, new ServerOptions().sslShutdownTimeout(5)));
        }
    }

    @LoopTest
    void aTlsTimeoutWithoutTlsIsRefusedByCreateUnixServer(LoopKind kind) {
        Path path = directory.resolve("never.sock");
        try (EventLoop loop = kind.newLoop()) {
            assertRefused("ssl_handshake_timeout is only meaningful with ssl", () -> loop.createUnixServer(
                    EchoProtocol::new, path, new ServerOptions().sslHandshakeTimeout(5)));
            assertRefused("ssl_shutdown_timeout is only meaningful with ssl", () -> loop.createUnixServer(
                    EchoProtocol::new, path, new ServerOptions().sslShutdownTimeout(5)));
        }
    }

    @LoopTest
    void tlsToAnEmptyHostNeedsAServerHostname(LoopKind kind) throws NoSuchAlgorithmException {
        SSLContext context = SSLContext.getDefault();
        try (EventLoop loop = kind.newLoop()) {
            assertRefused("You must set server_hostname when using ssl without a host", () -> loop.createConnection(
                    RecordingProtocol::new, "", 1, new ConnectionOptions().ssl(context)));
        }
    }
}

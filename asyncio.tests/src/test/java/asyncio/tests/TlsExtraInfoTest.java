package asyncio.tests;

import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a TLS transport's getExtraInfo answers once its connection is lost: asyncio drops the plain transport's keys. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsExtraInfoTest {
    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    @LoopTest
    void afterConnectionLostTheSocketAndAddressesAreGoneButTheTlsKeysStay(LoopKind kind) {
        kind.run(() -> {
            SSLContext context = certs.clientContext();
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = certs.connect(Net.port(server), RecordingProtocol::new, context);
                Transport transport = client.transport();
                assertInstanceOf(TransportSocket.class, transport.getExtraInfo("socket"));
                assertNotNull(transport.getExtraInfo("peername"));
                transport.close();
                within(client.protocol().lost);
                assertNull(transport.getExtraInfo("socket"));
                assertNull(transport.getExtraInfo("peername"));
                assertNull(transport.getExtraInfo("sockname"));
                assertEquals("default", transport.getExtraInfo("socket", "default"));
                assertSame(context, transport.getExtraInfo("sslcontext"));
            }
            return null;
        });
    }
}

package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Our TLS client and server against peers that are not ours: openssl's s_server/s_client and Python's asyncio. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class TlsInteropTest {
    private static final long PROCESS_SECONDS = 20;
    private static final int SIZE = 2 * 1024 * 1024;

    private static final String PYTHON_PEER = """
            import asyncio, hashlib, random, ssl, sys

            async def serve(cert, key):
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(cert, key)
                finished = asyncio.Event()
                async def echo(reader, writer):
                    while True:
                        data = await reader.read(65536)
                        if not data:
                            break
                        writer.write(data)
                        await writer.drain()
                    writer.close()
                    finished.set()
                server = await asyncio.start_server(echo, '127.0.0.1', 0, ssl=context)
                print(server.sockets[0].getsockname()[1], flush=True)
                await finished.wait()
                server.close()
                await server.wait_closed()

            async def connect(ca, port, size):
                context = ssl.create_default_context(cafile=ca)
                reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=context,
                                                               server_hostname='localhost')
                data = random.Random(5).randbytes(size)
                async def send():
                    rng = random.Random(9)
                    offset = 0
                    while offset < size:
                        step = rng.randint(1, 100000)
                        writer.write(data[offset:offset + step])
                        offset += step
                        await writer.drain()
                sender = asyncio.ensure_future(send())
                received = await reader.readexactly(size)
                await sender
                version = writer.get_extra_info('ssl_object').version()
                writer.close()
                await writer.wait_closed()
                print('OK' if received == data else 'MISMATCH', version, flush=True)

            if sys.argv[1] == 'serve':
                asyncio.run(asyncio.wait_for(serve(sys.argv[2], sys.argv[3]), 20))
            else:
                asyncio.run(asyncio.wait_for(connect(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])), 20))
            """;

    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    /** Answers the first line with "PONG " and the line, then closes with close_notify. */
    static final class Pong implements Protocol {
        final StringBuilder line = new StringBuilder();
        final asyncio.api.Future<Throwable> lost = Net.loop().createFuture();
        Transport transport;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            line.append(StandardCharsets.US_ASCII.decode(data));
            if (line.indexOf("\n") >= 0 && !transport.isClosing()) {
                transport.write(("PONG " + line).getBytes(StandardCharsets.US_ASCII));
                transport.close();
            }
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(error);
        }
    }

    @LoopTest
    void ourClientTalksToOpensslServer(LoopKind kind) throws Exception {
        Process server = start(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", certs.serverPem.toString(), "-key", certs.serverKey.toString(), "-rev"));
        try {
            String reversed = kind.run(() -> {
                BufferedReader lines = reader(server);
                int port = -1;
                while (port < 0) {
                    String line = Asyncio.waitFor(Asyncio.toThread(lines::readLine), (double) PROCESS_SECONDS);
                    assertNotNull(line, "s_server ended before listening: " + log());
                    if (line.startsWith("ACCEPT ")) {
                        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
                    }
                }
                Connection<RecordingProtocol> client = certs.connect(port, RecordingProtocol::new, certs.clientContext());
                client.transport().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(client.protocol().awaitReceived(6), StandardCharsets.US_ASCII);
                client.transport().close();
                client.protocol().awaitLost();
                return answer;
            });
            assertEquals("olleh", reversed.trim());
        } finally {
            end(server);
        }
    }

    @LoopTest
    void opensslClientTalksToOurServer(LoopKind kind) throws Exception {
        String output = kind.run(() -> {
            Pong[] served = new Pong[1];
            try (Server server = certs.server(() -> served[0] = new Pong())) {
                Process client = start(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + Net.port(server),
                        "-CAfile", certs.caPem.toString(), "-verify_return_error", "-servername", "localhost",
                        "-verify_hostname", "localhost", "-quiet"));
                try {
                    client.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    byte[] all = Asyncio.waitFor(Asyncio.toThread(() -> client.getInputStream().readAllBytes()),
                            (double) PROCESS_SECONDS);
                    Asyncio.waitFor(served[0].lost, RecordingProtocol.PATIENCE);
                    return new String(all, StandardCharsets.US_ASCII);
                } finally {
                    end(client);
                }
            }
        });
        assertTrue(output.contains("PONG ping"), output + log());
    }

    @LoopTest
    void pythonAsyncioClientEchoesThroughOurServer(LoopKind kind) throws Exception {
        needsPython();
        String verdict = kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                Process client = python("connect", certs.caPem.toString(), String.valueOf(Net.port(server)),
                        String.valueOf(SIZE));
                try {
                    return Asyncio.waitFor(Asyncio.toThread(() -> reader(client).readLine()), (double) PROCESS_SECONDS);
                } finally {
                    end(client);
                }
            }
        });
        assertNotNull(verdict, log());
        assertTrue(verdict.startsWith("OK TLSv1.3"), verdict + log());
    }

    @LoopTest
    void ourClientEchoesThroughAPythonAsyncioServer(LoopKind kind) throws Exception {
        needsPython();
        Process server = python("serve", certs.serverPem.toString(), certs.serverKey.toString());
        try {
            byte[] data = new byte[SIZE];
            new Random(3).nextBytes(data);
            byte[] echoed = kind.run(() -> {
                String port = Asyncio.waitFor(Asyncio.toThread(() -> reader(server).readLine()), (double) PROCESS_SECONDS);
                assertNotNull(port, "the Python server did not start: " + log());
                Connection<RecordingProtocol> client = certs.connect(Integer.parseInt(port.trim()), RecordingProtocol::new,
                        certs.clientContext());
                Random chunking = new Random(8);
                int offset = 0;
                while (offset < SIZE) {
                    int length = Math.min(SIZE - offset, 1 + chunking.nextInt(128 * 1024));
                    client.transport().write(ByteBuffer.wrap(data, offset, length));
                    offset += length;
                }
                byte[] result = client.protocol().awaitReceived(SIZE);
                client.transport().close();
                client.protocol().awaitLost();
                return result;
            });
            assertArrayEquals(data, echoed);
            assertTrue(server.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS), "the Python server did not finish");
            assertEquals(0, server.exitValue(), log());
        } finally {
            end(server);
        }
    }

    private static Process python(String... arguments) throws IOException {
        Path script = directory.resolve("peer.py");
        Files.writeString(script, PYTHON_PEER);
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(arguments));
        return start(command);
    }

    private static void needsPython() {
        boolean found;
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import asyncio, ssl")
                    .redirectInput(new File("/dev/null")).redirectOutput(new File("/dev/null"))
                    .redirectError(new File("/dev/null")).start();
            found = probe.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException notThere) {
            found = false;
        }
        Assumptions.assumeTrue(found, "python3 with ssl is not on the PATH (.ci/run installs it)");
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(directory.resolve("peer-stderr.txt").toFile()).start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static String log() throws IOException {
        Path file = directory.resolve("peer-stderr.txt");
        return Files.exists(file) ? "\n" + Files.readString(file) : "";
    }

    private static void end(Process process) throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS);
        process.getInputStream().close();
        process.getOutputStream().close();
        process.getErrorStream().close();
    }
}

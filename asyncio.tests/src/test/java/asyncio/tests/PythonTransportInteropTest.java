package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Interop with CPython's own asyncio: its echo server and client talk to ours byte-exactly, both ways. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class PythonTransportInteropTest {
    private static final int SIZE = 2 * 1024 * 1024;
    private static final long PROCESS_SECONDS = 30;

    /** Echoes each connection until EOF, then closes it; prints its port, lives at most 60 s. */
    private static final String ECHO_SERVER = """
            import asyncio, sys

            async def echo(reader, writer):
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
                writer.close()
                await writer.wait_closed()

            async def main(where):
                if where == 'tcp':
                    server = await asyncio.start_server(echo, '127.0.0.1', 0)
                    print(server.sockets[0].getsockname()[1], flush=True)
                else:
                    server = await asyncio.start_unix_server(echo, where)
                    print(where, flush=True)
                async with server:
                    await asyncio.sleep(60)

            asyncio.run(main(sys.argv[1]))
            """;

    /** Sends SIZE random bytes in random chunks, then EOF; reads the echo; prints OK or what differed, and a digest. */
    private static final String ECHO_CLIENT = """
            import asyncio, hashlib, random, sys

            async def main(where, size, seed):
                if where.isdigit():
                    reader, writer = await asyncio.open_connection('127.0.0.1', int(where))
                else:
                    reader, writer = await asyncio.open_unix_connection(where)
                sending, reading = random.Random(seed), random.Random(seed + 1)
                data = sending.randbytes(size)

                async def send():
                    offset = 0
                    while offset < size:
                        step = sending.randint(1, 100000)
                        writer.write(data[offset:offset + step])
                        offset += step
                        await writer.drain()
                    writer.write_eof()

                sender = asyncio.create_task(send())
                received = bytearray()
                while chunk := await reader.read(reading.randint(1, 100000)):
                    received += chunk
                await sender
                writer.close()
                await writer.wait_closed()
                verdict = 'OK' if received == data else f'MISMATCH {len(received)} of {size}'
                print(verdict, hashlib.sha256(data).hexdigest(), flush=True)

            asyncio.run(asyncio.wait_for(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])), 30))
            """;

    @TempDir
    Path directory;

    /** The interpreter itself, found once: launchers such as pyenv's shims cost most of a second a start. */
    private static String python;

    @BeforeAll
    static void needsPython() throws IOException {
        Path answer = Files.createTempFile("python", ".txt");
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import asyncio, sys; print(sys.executable)")
                    .redirectInput(new File("/dev/null")).redirectOutput(answer.toFile())
                    .redirectError(new File("/dev/null")).start();
            if (probe.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                python = Files.readString(answer).strip();
            }
        } catch (IOException | InterruptedException notThere) {
            python = null;
        } finally {
            Files.deleteIfExists(answer);
        }
        Assumptions.assumeTrue(python != null && !python.isEmpty(),
                "python3 with asyncio is not on the PATH (.ci/run installs it)");
    }

    /** An echo server protocol that also digests what it receives. */
    static final class DigestingEcho extends EchoProtocol {
        final MessageDigest digest;

        DigestingEcho() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            digest.update(data.duplicate());
            super.dataReceived(data);
        }
    }

    private Process python(String script, String... arguments) throws IOException {
        Path file = directory.resolve("peer.py");
        Files.writeString(file, script);
        List<String> command = new ArrayList<>(List.of(python, file.toString()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .redirectInput(new File("/dev/null"))
                .redirectError(directory.resolve("stderr.txt").toFile())
                .start();
    }

    /** The process's first line of output, read off the loop; null if it ended without one. */
    private String firstLine(Process process) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return Asyncio.waitFor(Asyncio.toThread(lines::readLine), (double) PROCESS_SECONDS);
    }

    private String stderr() throws IOException {
        Path file = directory.resolve("stderr.txt");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void end(Process process) throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS);
        process.getInputStream().close();
        process.getOutputStream().close();
    }

    /** Our client sends random chunks to Python's echo server at {@code where} and checks the echo. */
    private void ourClientAgainstPythonServer(LoopKind kind, boolean unix) throws Exception {
        Path socketPath = directory.resolve("py.sock");
        Process server = python(ECHO_SERVER, unix ? socketPath.toString() : "tcp");
        try {
            byte[] data = new byte[SIZE];
            new Random(42).nextBytes(data);
            byte[] echoed = kind.run(() -> {
                String where = firstLine(server);
                assertNotNull(where, "the Python server did not start: " + stderr());
                Connection<RecordingProtocol> client = unix
                        ? Asyncio.getRunningLoop().createUnixConnection(RecordingProtocol::new, socketPath).await()
                        : Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, Net.LOCALHOST,
                                Integer.parseInt(where)).await();
                Random chunking = new Random(7);
                for (int offset = 0; offset < SIZE; ) {
                    int length = Math.min(SIZE - offset, 1 + chunking.nextInt(100_000));
                    client.transport().write(ByteBuffer.wrap(data, offset, length));
                    offset += length;
                }
                client.transport().writeEof();
                assertNull(client.protocol().awaitLost(), "Python closes after echoing everything");
                assertEquals(List.of("eof", "lost"), client.protocol().events.subList(client.protocol().events.size() - 2,
                        client.protocol().events.size()));
                return client.protocol().received.toByteArray();
            });
            assertArrayEquals(data, echoed);
        } finally {
            end(server);
        }
    }

    /** Python's client sends random chunks to our echo server and checks the echo; we check the digest. */
    private void pythonClientAgainstOurServer(LoopKind kind, boolean unix) throws Exception {
        Path socketPath = directory.resolve("java.sock");
        kind.run(() -> {
            Accepted<DigestingEcho> accepted = new Accepted<>(DigestingEcho::new);
            try (Server server = unix
                    ? Asyncio.getRunningLoop().createUnixServer(accepted, socketPath, new ServerOptions()).await()
                    : Net.server(accepted)) {
                Process client = python(ECHO_CLIENT, unix ? socketPath.toString() : String.valueOf(Net.port(server)),
                        String.valueOf(SIZE), "1234");
                try {
                    String verdict = firstLine(client);
                    assertNotNull(verdict, "the Python client printed nothing: " + stderr());
                    assertTrue(verdict.startsWith("OK "), verdict + " " + stderr());
                    assertTrue(Asyncio.waitFor(Asyncio.toThread(() -> client.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)),
                            (double) PROCESS_SECONDS + 1));
                    assertEquals(0, client.exitValue(), stderr());
                    DigestingEcho served = accepted.first();
                    Asyncio.waitFor(served.lost, RecordingProtocol.PATIENCE);
                    assertEquals(verdict.substring(3), HexFormat.of().formatHex(served.digest.digest()),
                            "the bytes we received are the bytes Python sent");
                } finally {
                    end(client);
                }
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void ourTcpClientTalksToPythonsEchoServer(LoopKind kind) throws Exception {
        ourClientAgainstPythonServer(kind, false);
    }

    @LoopTest
    void pythonsTcpClientTalksToOurEchoServer(LoopKind kind) throws Exception {
        pythonClientAgainstOurServer(kind, false);
    }

    @LoopTest
    void ourUnixClientTalksToPythonsEchoServer(LoopKind kind) throws Exception {
        ourClientAgainstPythonServer(kind, true);
    }

    @LoopTest
    void pythonsUnixClientTalksToOurEchoServer(LoopKind kind) throws Exception {
        pythonClientAgainstOurServer(kind, true);
    }
}

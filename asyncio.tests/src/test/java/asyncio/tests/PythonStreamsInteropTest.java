package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import java.io.BufferedReader;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our streams against Python 3's own asyncio streams, both ways round: lines and a large binary
 * payload must cross byte for byte.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PythonStreamsInteropTest {
    private static final int PAYLOAD = 3 << 20;

    /**
     * The Python side. As a server it prints its port; as a client it takes the port. Either way
     * it answers a line with the line upper-cased, then reads "n\n" and n bytes, answers with the
     * SHA-256 of those bytes and the bytes reversed, and finally sends n bytes of its own.
     */
    private static final String SCRIPT = """
            import asyncio, hashlib, random, sys

            async def talk(reader, writer):
                line = await reader.readline()
                writer.write(line.upper())
                size = int(await reader.readline())
                data = await reader.readexactly(size)
                writer.write(hashlib.sha256(data).hexdigest().encode() + b"\\n")
                writer.write(data[::-1])
                await writer.drain()
                own = random.Random(42).randbytes(size)
                for start in range(0, size, 100003):
                    writer.write(own[start:start + 100003])
                    await writer.drain()
                writer.write_eof()
                rest = await reader.read()
                writer.close()
                await writer.wait_closed()
                if rest != b"":
                    raise AssertionError(f"{len(rest)} bytes after the payload")

            async def serve():
                done = asyncio.get_running_loop().create_future()
                async def handler(reader, writer):
                    try:
                        await talk(reader, writer)
                        done.set_result(None)
                    except BaseException as error:
                        done.set_exception(error)
                server = await asyncio.start_server(handler, "127.0.0.1", 0)
                print(server.sockets[0].getsockname()[1], flush=True)
                await done
                server.close()
                await server.wait_closed()

            async def connect(port):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                await talk(reader, writer)

            if sys.argv[1] == "serve":
                asyncio.run(serve())
            else:
                asyncio.run(connect(int(sys.argv[2])))
            print("python done", flush=True)
            """;

    @TempDir
    static Path directory;
    private static Path script;
    private static Path reference;

    /**
     * Writes the script and asks Python once for {@code random.Random(42).randbytes(PAYLOAD)}, the
     * bytes its side sends (the generator is Python's own); no reference file means no Python.
     */
    @BeforeAll
    static void preparePython() throws IOException, InterruptedException {
        script = directory.resolve("peer.py");
        Files.writeString(script, SCRIPT);
        reference = directory.resolve("random.bin");
        Process process;
        try {
            process = new ProcessBuilder("python3", "-c",
                    "import random,sys; open(sys.argv[1],'wb').write(random.Random(42).randbytes(" + PAYLOAD + "))",
                    reference.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noPython) {
            return;
        }
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } finally {
            stop(process);
        }
    }

    private static void assumePython() throws IOException {
        assumeTrue(Files.isRegularFile(reference) && Files.size(reference) == PAYLOAD,
                "python3 with asyncio is not available");
    }

    private static Process python(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectError(directory.resolve("stderr-" + System.nanoTime() + ".txt").toFile())
                .start();
        process.getOutputStream().close();
        return process;
    }

    private static void closeStreams(Process process) {
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Closing pipes of a finished process fails only if they are already closed.
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        closeStreams(process);
    }

    /** Our side of {@code talk}: the mirror image of what the script does. */
    private static void talkToPython(StreamReader reader, StreamWriter writer) throws Exception {
        writer.write("hello from java\n");
        assertEquals("HELLO FROM JAVA\n", new String(reader.readline(), StandardCharsets.UTF_8));

        byte[] payload = new byte[PAYLOAD];
        new Random(8).nextBytes(payload);
        writer.write(PAYLOAD + "\n");
        Task<Void> sending = Asyncio.createTask(() -> {
            for (int at = 0; at < PAYLOAD; at += 70001) {
                writer.write(ByteBuffer.wrap(payload, at, Math.min(70001, PAYLOAD - at)));
                writer.drain();
            }
            return null;
        });
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)) + "\n";
        assertEquals(digest, new String(reader.readuntil(new byte[] {'\n'}), StandardCharsets.US_ASCII));
        byte[] reversed = reader.readexactly(PAYLOAD);
        sending.await();
        for (int i = 0; i < PAYLOAD; i++) {
            if (reversed[i] != payload[PAYLOAD - 1 - i]) {
                throw new AssertionError("reversed payload differs at " + i);
            }
        }
        byte[] theirs = reader.readexactly(PAYLOAD);
        assertArrayEquals(Files.readAllBytes(reference), theirs);
        assertEquals(0, reader.read(-1).length, "Python wrote EOF after its bytes");
        writer.close();
        writer.waitClosed().await();
    }

    @LoopTest
    void ourClientTalksToAPythonStreamsServer(LoopKind kind) throws Exception {
        assumePython();
        Process process = python("serve");
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String portLine = output.readLine();
            assertTrue(portLine != null, "python printed no port");
            int port = Integer.parseInt(portLine.trim());
            kind.run(() -> {
                StreamConnection connection = Streams.openConnection("127.0.0.1", port).await();
                talkToPython(connection.reader(), connection.writer());
                return null;
            });
            assertEquals("python done", output.readLine());
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue());
        } finally {
            stop(process);
        }
    }

    @LoopTest
    void aPythonStreamsClientTalksToOurServer(LoopKind kind) throws Exception {
        assumePython();
        Process[] started = new Process[1];
        try {
            kind.run(() -> {
                Future<Void> served = Asyncio.getRunningLoop().createFuture();
                Server server = Streams.startServer((reader, writer) -> {
                    try {
                        talkToPython(reader, writer);
                        served.setResult(null);
                    } catch (Throwable failed) {
                        served.setException(failed);
                    }
                }, "127.0.0.1", 0).await();
                try {
                    started[0] = python("connect", String.valueOf(StreamsTest.port(server)));
                    Process process = started[0];
                    Asyncio.waitFor(served, 40.0);
                    boolean exited = Asyncio.waitFor(Asyncio.toThread(() -> process.waitFor(20, TimeUnit.SECONDS)), 30.0);
                    assertTrue(exited);
                    assertEquals(0, process.exitValue());
                } finally {
                    server.close();
                    server.waitClosed().await();
                }
                return null;
            });
            String output = new String(started[0].getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("python done\n", output);
        } finally {
            if (started[0] != null) {
                stop(started[0]);
            }
        }
    }
}

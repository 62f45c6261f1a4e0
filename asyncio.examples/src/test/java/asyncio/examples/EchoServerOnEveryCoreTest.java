package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EchoServerOnEveryCoreTest {
    private static final Pattern SERVING = Pattern.compile("Serving on 127\\.0\\.0\\.1:(\\d+) with 2 loops .*");

    @Test
    void twoLoopsWithAListeningSocketEachEchoAndShareTheConnections() throws Exception {
        List<String> lines = echoOverTwoLoops(true);
        assertTrue(lines.get(0).contains("(a listening socket each"), lines::toString);
    }

    @Test
    void twoLoopsFedByOneAcceptorEchoAndTakeTurns() throws Exception {
        List<String> lines = echoOverTwoLoops(false);
        assertTrue(lines.get(0).contains("(one acceptor"), lines::toString);
        // The acceptor deals connections in turn: 16 connections, 8 per loop thread.
        assertEquals(8, lines.stream().filter(line -> line.endsWith("-loop-0")).count(), lines::toString);
        assertEquals(8, lines.stream().filter(line -> line.endsWith("-loop-1")).count(), lines::toString);
    }

    /** Starts the example with two loops, echoes over 16 connections, closes it; returns what it printed. */
    private static List<String> echoOverTwoLoops(boolean reusePort) throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> {
            try (EchoServerOnEveryCore.Serving serving = EchoServerOnEveryCore.start(0, 2, reusePort)) {
                echoOver16Connections(serving.server().port());
            }
        });
        assertTrue(SERVING.matcher(lines.get(0)).matches(), lines::toString);
        assertEquals(16, lines.stream().filter(line -> line.startsWith("Connection from /127.0.0.1:")).count(),
                lines::toString);
        return lines;
    }

    private static void echoOver16Connections(int port) throws IOException {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket();
                clients.add(socket);
                socket.setSoTimeout(10_000);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                byte[] message = ("hello " + i).getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(message);
                assertEquals("hello " + i, new String(readFully(socket.getInputStream(), message.length), StandardCharsets.UTF_8));
            }
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertEquals(length, bytes.length, "bytes echoed before EOF");
        return bytes;
    }
}

package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Coroutine;
import asyncio.api.FileNotFoundError;
import asyncio.api.Future;
import asyncio.api.TimeoutError;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import asyncio.spi.proactor.PipeServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Named pipes through the whole Windows loop ({@code startServingPipe}, {@code createPipeConnection},
 * the duplex pipe transport, the port's ConnectNamedPipe, ReadFile and WriteFile) on the scripted
 * kernel32 and Winsock ({@link FakeNamedPipes}). Proves the Java side's use of the calls, not
 * Windows (the Wine trace of named_pipe_sequence.c covers what Windows answers); every run checks
 * that no handle is left open and that nothing Windows would refuse was asked.
 */
class WindowsNamedPipesOnFakeTest {
    private static final String NAME = "\\\\.\\pipe\\asyncio-java-test";
    private final FakeWinsock winsock = new FakeWinsock();
    private final FakeNamedPipes fake = new FakeNamedPipes(winsock);

    /** The port's Win32 calls (all on the loop thread). */
    private final List<String> portCalls = java.util.Collections.synchronizedList(new ArrayList<>());

    private <T> T run(Coroutine<T> main) {
        T result = Asyncio.run(main, () -> new WindowsEventLoop(WindowsEventLoop.openPort(
                CallRecorder.recorded(asyncio.windows.ffi.Win32.class, winsock, portCalls, Thread.currentThread())),
                fake));
        assertEquals(List.of(), fake.problems);
        assertEquals(Set.of(), fake.openHandles(), "every handle closed");
        return result;
    }

    private static WindowsEventLoop loop() {
        return (WindowsEventLoop) Asyncio.getRunningLoop();
    }

    /** Echoes what it gets; notes the end of its connection. */
    private static final class Echo implements Protocol {
        final Future<Throwable> lost = Asyncio.getRunningLoop().createFuture();
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(error);
        }
    }

    /** Collects what arrives until {@code expected} bytes did. */
    private static final class Client implements Protocol {
        final Future<String> received = Asyncio.getRunningLoop().createFuture();
        final Future<Throwable> lost = Asyncio.getRunningLoop().createFuture();
        private final StringBuilder text = new StringBuilder();
        private final int expected;

        Client(int expected) {
            this.expected = expected;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            text.append(StandardCharsets.UTF_8.decode(data));
            if (text.length() >= expected && !received.done()) {
                received.setResult(text.toString());
            }
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(error);
        }
    }

    /** Serves {@link #NAME} with an {@link Echo} a connection, each added to {@code served}. */
    private static PipeServer serveEchoes(List<Echo> served) {
        return loop().startServingPipe(() -> {
            Echo echo = new Echo();
            served.add(echo);
            return echo;
        }, NAME).await();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEchoRoundTripBetweenAServedPipeAndAClient() {
        List<Echo> served = new ArrayList<>();
        String reply = run(() -> {
            PipeServer server = serveEchoes(served);
            assertEquals(NAME, server.address());
            Asyncio.sleep(0); // the server's ConnectNamedPipe is in flight before the client comes
            Connection<Client> connection = Asyncio.waitFor(loop().createPipeConnection(() -> new Client(9), NAME), 10.0);
            Transport transport = connection.transport();
            assertEquals(NAME, transport.getExtraInfo("addr", null));
            assertTrue(transport.getExtraInfo("pipe", null) instanceof WindowsProcess.PipeHandle);
            assertNull(transport.getExtraInfo("socket", null), "a pipe transport has no socket");
            assertFalse(transport.canWriteEof(), "a named pipe has no half-close");
            assertThrows(UnsupportedOperationException.class, transport::writeEof);
            transport.write(bytes("hello "));
            transport.write(bytes("iocp"));
            String echoed = Asyncio.waitFor(connection.protocol().received, 10.0);
            // The client's close is EOF (ERROR_BROKEN_PIPE) to the server's ReadFile: its transport closes too.
            transport.close();
            assertNull(Asyncio.waitFor(connection.protocol().lost, 10.0));
            assertNull(Asyncio.waitFor(served.get(0).lost, 10.0), "the server side ended cleanly at EOF");
            server.close();
            assertTrue(server.isClosed());
            assertNull(server.address());
            return echoed;
        });
        assertEquals("hello iocp", reply);
        assertEquals(1, served.size());
        assertTrue(portCalls.contains("ReadFile") && portCalls.contains("WriteFile"), "a pipe is read and written as a file");
        assertFalse(portCalls.stream().anyMatch(call -> call.startsWith("WSA") && !call.startsWith("WSAStartup")),
                "no Winsock call on a pipe: " + portCalls);
        assertEquals(List.of("CreateNamedPipeW first", "ConnectNamedPipe pending", "CreateFileW", "CreateNamedPipeW",
                "ConnectNamedPipe pending", "CloseHandle client", "CloseHandle instance", "CloseHandle instance"),
                fake.calls, "the next instance waits as soon as the first is taken; close closes the waiting one");
    }

    @Test
    void aClientFindingEveryInstanceBusyTriesAgainUntilOneIsFree() {
        List<String> replies = run(() -> {
            PipeServer server = loop().startServingPipe(Echo::new, NAME).await();
            // Three answers of ERROR_PIPE_BUSY first: the client sleeps 2, 4, 8 ms and tries again.
            fake.forcedBusy = 3;
            Connection<Client> first = Asyncio.waitFor(loop().createPipeConnection(() -> new Client(5), NAME), 10.0);
            assertEquals(3, fake.busyAnswers);
            // Two clients at once: the second finds the only instance taken until the server makes the next.
            Future<Connection<Client>> second = loop().createPipeConnection(() -> new Client(6), NAME);
            Future<Connection<Client>> third = loop().createPipeConnection(() -> new Client(5), NAME);
            List<Connection<Client>> all = List.of(first, Asyncio.waitFor(second, 10.0), Asyncio.waitFor(third, 10.0));
            assertTrue(fake.busyAnswers > 3, "a client met the busy pipe: " + fake.calls);
            List<String> out = new ArrayList<>();
            String[] words = {"first", "second", "third"};
            for (int i = 0; i < all.size(); i++) {
                all.get(i).transport().write(bytes(words[i]));
            }
            for (Connection<Client> connection : all) {
                out.add(Asyncio.waitFor(connection.protocol().received, 10.0));
                connection.transport().close();
                Asyncio.waitFor(connection.protocol().lost, 10.0);
            }
            server.close();
            return out;
        });
        assertEquals(List.of("first", "second", "third"), replies, "each client talks to its own instance");
    }

    @Test
    void aClientCancelledWhileThePipeIsBusyLeavesNothingOpen() {
        boolean cancelled = run(() -> {
            PipeServer server = loop().startServingPipe(Echo::new, NAME).await();
            fake.forcedBusy = Integer.MAX_VALUE;
            Future<Connection<Client>> connecting = loop().createPipeConnection(() -> new Client(1), NAME);
            // Timers of this one loop: the client's retry pauses (1, 2, 4, 8 ms) fall due before this 20 ms.
            Asyncio.sleep(0.02);
            assertTrue(fake.busyAnswers > 1, "it kept trying");
            connecting.cancel();
            try {
                connecting.await();
            } catch (asyncio.api.CancelledError expected) {
                // what a cancelled connect ends with
            }
            server.close();
            return connecting.cancelled();
        });
        assertTrue(cancelled);
        assertFalse(fake.calls.contains("CreateFileW"), "no client end was ever opened");
    }

    @Test
    void aClosedServerKeepsItsConnectionsAndItsNameGoesWithTheLast() {
        List<Echo> served = new ArrayList<>();
        String reply = run(() -> {
            PipeServer server = serveEchoes(served);
            Connection<Client> kept = Asyncio.waitFor(loop().createPipeConnection(() -> new Client(4), NAME), 10.0);
            server.close();
            server.close(); // idempotent
            // No instance waits, but the connected one still holds the name: Windows answers
            // ERROR_PIPE_BUSY, and the client keeps trying (as CPython's connect_pipe does).
            int busyBefore = fake.busyAnswers;
            assertThrows(TimeoutError.class,
                    () -> Asyncio.waitFor(loop().createPipeConnection(() -> new Client(1), NAME), 0.05));
            assertTrue(fake.busyAnswers > busyBefore);
            kept.transport().write(bytes("kept"));
            String echoed = Asyncio.waitFor(kept.protocol().received, 10.0);
            kept.transport().close();
            Asyncio.waitFor(kept.protocol().lost, 10.0);
            Asyncio.waitFor(served.get(0).lost, 10.0);
            // The last instance closed: the name is gone.
            FileNotFoundError refused = assertThrows(FileNotFoundError.class,
                    () -> Asyncio.waitFor(loop().createPipeConnection(() -> new Client(1), NAME), 10.0));
            assertTrue(refused.getMessage().contains(NAME), refused.getMessage());
            return echoed;
        });
        assertEquals("kept", reply);
    }

    @Test
    void aNameAlreadyServedIsRefusedAndTheLoopsCloseClosesItsServers() {
        run(() -> {
            loop().startServingPipe(Echo::new, NAME).await();
            IOException taken = assertThrows(IOException.class,
                    () -> loop().startServingPipe(Echo::new, NAME).await());
            assertTrue(taken.getMessage().contains("CreateNamedPipeW"), taken.getMessage());
            return null; // the server is left open: the loop's close closes its waiting instance
        });
        assertEquals("CloseHandle instance", fake.calls.get(fake.calls.size() - 1));
    }

    @Test
    void aLoopWithoutTheKernel32BindingRefusesNamedPipes() {
        Asyncio.run(() -> {
            assertThrows(UnsupportedOperationException.class,
                    () -> loop().createPipeConnection(() -> new Client(1), NAME));
            assertThrows(UnsupportedOperationException.class, () -> loop().startServingPipe(Echo::new, NAME));
            return null;
        }, () -> new WindowsEventLoop(WindowsEventLoop.openPort(winsock)));
    }
}

package asyncio.tests.proactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.Operation;
import asyncio.tests.JdkNioWarmUp;
import asyncio.tests.NoDescriptorLeaks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The emulated completion port keeps the promises of the {@code CompletionPort} seam that the
 * proactor transports rely on: completions only from dispatch, in completion order; partial
 * sends; a cancel that loses the race reports the data; a closed socket's operations complete
 * as aborted. Linux only in spirit, but it runs anywhere NIO does.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
class EmulatedCompletionPortTest {
    private EmulatedCompletionPort port;
    private ServerSocketChannel listener;
    private SocketChannel peer;
    private EmulatedSocket socket;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void connect() throws IOException {
        port = new EmulatedCompletionPort();
        listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        peer = listener.accept();
        client.configureBlocking(false);
        socket = new EmulatedSocket(port, client);
    }

    @AfterEach
    void close() throws IOException {
        socket.close();
        peer.close();
        listener.close();
        port.close();
    }

    private Completion<Integer> recording(String name) {
        return new Completion<>() {
            @Override
            public void completed(Integer result) {
                events.add(name + " " + result);
            }

            @Override
            public void failed(IOException error) {
                events.add(name + " failed");
            }

            @Override
            public void cancelled() {
                events.add(name + " cancelled");
            }
        };
    }

    private void pollUntil(int count) {
        for (int round = 0; round < 1000 && events.size() < count; round++) {
            port.poll(10_000_000L);
            port.dispatch((completion, error) -> events.add("uncaught " + error));
        }
    }

    /** Waits (bounded) until the socket has bytes to read, without the port and without reading them. */
    private void awaitReadable() throws IOException {
        SocketChannel channel = (SocketChannel) socket.channel();
        try (Selector watcher = Selector.open()) {
            channel.register(watcher, SelectionKey.OP_READ);
            assertTrue(watcher.select(5_000) > 0, "the peer's bytes never arrived");
        }
    }

    @Test
    void anOperationThatCompletesAtOnceIsStillReportedOnlyFromDispatch() throws IOException {
        peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        awaitReadable();
        ByteBuffer target = ByteBuffer.allocate(16);
        port.recv(socket, target, recording("recv"));
        assertTrue(events.isEmpty(), "a completion ran inside submit");
        pollUntil(1);
        assertEquals(List.of("recv 3"), events);
        assertEquals(3, target.position());
    }

    @Test
    void completionsRunInTheOrderTheOperationsCompleted() throws IOException {
        port.recv(socket, ByteBuffer.allocate(16), recording("recv"));
        port.send(socket, ByteBuffer.wrap(new byte[] {9}), recording("send"));
        pollUntil(1);
        assertEquals(List.of("send 1"), events, "the send completes first: nothing to receive yet");
        peer.write(ByteBuffer.wrap(new byte[] {7, 7}));
        pollUntil(2);
        assertEquals(List.of("send 1", "recv 2"), events);
    }

    @Test
    void aLargeSendCompletesPartiallyAndLeavesTheRestInTheBuffer() {
        ByteBuffer data = ByteBuffer.allocate(EmulatedCompletionPort.MAX_SEND * 2 + 5);
        port.send(socket, data, recording("send"));
        pollUntil(1);
        assertEquals(List.of("send " + EmulatedCompletionPort.MAX_SEND), events);
        assertEquals(EmulatedCompletionPort.MAX_SEND, data.position());
    }

    @Test
    void aCancelThatLosesTheRaceReportsTheDataReceived() throws IOException {
        ByteBuffer target = ByteBuffer.allocate(16);
        Operation recv = port.recv(socket, target, recording("recv"));
        pollUntil(0);
        peer.write(ByteBuffer.wrap(new byte[] {5, 6, 7, 8}));
        awaitReadable();
        recv.cancel();
        pollUntil(1);
        assertEquals(List.of("recv 4"), events, "bytes that arrived before the cancel are not lost");
    }

    @Test
    void aCancelThatWinsCompletesAsCancelledAndLeavesTheBufferUntouched() {
        ByteBuffer target = ByteBuffer.allocate(16);
        Operation recv = port.recv(socket, target, recording("recv"));
        recv.cancel();
        recv.cancel();
        assertTrue(events.isEmpty(), "cancel() reports nothing by itself");
        pollUntil(1);
        assertEquals(List.of("recv cancelled"), events);
        assertEquals(0, target.position());
    }

    @Test
    void closingTheSocketCompletesItsPendingOperationsAsAborted() throws IOException {
        port.recv(socket, ByteBuffer.allocate(16), recording("recv"));
        socket.close();
        pollUntil(1);
        assertEquals(List.of("recv cancelled"), events);
    }
}

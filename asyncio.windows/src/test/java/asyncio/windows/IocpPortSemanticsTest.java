package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.windows.ffi.WinApi;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The completion port's contract ({@code CompletionPort}, {@code Operation.cancel}) on the
 * scripted Winsock: a cancel that loses the race still delivers the bytes; closing a socket
 * completes its operations as cancelled; the port's close cancels and drains what is in flight
 * (FakeWinsock fails a CloseHandle with operations in flight); a heap send longer than the staging
 * copy is partial; an immediate failure still comes through dispatch, typed.
 */
class IocpPortSemanticsTest {
    private static final class Outcome<T> implements Completion<T> {
        T value;
        IOException error;
        boolean cancelled;
        int calls;

        @Override
        public void completed(T result) {
            value = result;
            calls++;
        }

        @Override
        public void failed(IOException failure) {
            error = failure;
            calls++;
        }

        @Override
        public void cancelled() {
            cancelled = true;
            calls++;
        }
    }

    private IocpCompletionPort port;
    private WindowsSocket listener;
    private WindowsSocket client;
    private ProactorSocket server;

    @BeforeEach
    void connect() throws IOException {
        port = new IocpCompletionPort(new FakeWinsock());
        listener = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        listener.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        SocketAddress address = listener.localAddress();
        Outcome<ProactorSocket> accepted = new Outcome<>();
        port.accept(listener, accepted);
        client = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        Outcome<Void> connected = new Outcome<>();
        port.connect(client, address, connected);
        run(() -> accepted.calls == 1 && connected.calls == 1);
        server = accepted.value;
    }

    @Test
    void aCancelThatLosesTheRaceStillDeliversTheBytes() throws IOException {
        Outcome<Integer> sent = new Outcome<>();
        port.send(client, ByteBuffer.wrap(new byte[] {1, 2, 3}), sent);
        ByteBuffer target = ByteBuffer.allocate(8);
        Outcome<Integer> received = new Outcome<>();
        Operation recv = port.recv(server, target, received);
        recv.cancel(); // the receive completed inside its call: CancelIoEx finds nothing
        run(() -> received.calls == 1);
        assertFalse(received.cancelled);
        assertEquals(3, received.value);
        assertEquals(3, target.position());
        closeAll();
    }

    @Test
    void closingASocketCompletesItsOperationsAsCancelled() throws IOException {
        Outcome<Integer> received = new Outcome<>();
        port.recv(server, ByteBuffer.allocateDirect(8), received);
        server.close();
        assertEquals(0, received.calls, "never inline: the completion comes through the port");
        run(() -> received.calls == 1);
        assertTrue(received.cancelled);
        closeAll();
    }

    @Test
    void closingThePortCancelsAndDrainsWhatIsInFlight() throws IOException {
        Outcome<Integer> received = new Outcome<>();
        port.recv(server, ByteBuffer.allocateDirect(8), received);
        assertEquals(1, port.inKernel());
        port.close(); // FakeWinsock's CloseHandle fails if an operation is still in flight
        assertEquals(0, port.inKernel());
        assertEquals(0, received.calls, "a closed port runs no more completions");
    }

    @Test
    void aHeapSendLongerThanTheStagingCopyIsPartial() throws IOException {
        ByteBuffer big = ByteBuffer.allocate(IocpCompletionPort.STAGING_SIZE + 100);
        Outcome<Integer> sent = new Outcome<>();
        port.send(client, big, sent);
        run(() -> sent.calls == 1);
        assertEquals(IocpCompletionPort.STAGING_SIZE, sent.value);
        assertEquals(IocpCompletionPort.STAGING_SIZE, big.position(), "the rest is the transport's to resubmit");
        closeAll();
    }

    @Test
    void aRefusedConnectIsAConnectExceptionDeliveredThroughDispatch() throws IOException {
        WindowsSocket other = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        Outcome<Void> connected = new Outcome<>();
        port.connect(other, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), connected);
        assertEquals(0, connected.calls);
        run(() -> connected.calls == 1);
        assertInstanceOf(ConnectException.class, connected.error);
        assertTrue(connected.error.getMessage().startsWith("[WinError 10061]"), connected.error.getMessage());
        other.close();
        closeAll();
    }

    private void closeAll() throws IOException {
        client.close();
        server.close();
        listener.close();
        port.close();
    }

    private void run(BooleanSupplier done) {
        for (int round = 0; round < 10 && !done.getAsBoolean(); round++) {
            port.poll(0);
            port.dispatch((completion, failure) -> {
                throw failure;
            });
        }
        assertTrue(done.getAsBoolean(), "the completions came");
    }
}

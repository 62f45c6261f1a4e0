package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.windows.ffi.WinApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The IOCP completion port's calls for a TCP echo round trip, recorded on {@link FakeWinsock}, are
 * the calls echo_sequence.c makes and checks against a real Winsock under Wine (its trace is
 * echo-sequence.txt): listening socket, AcceptEx on a fresh associated socket, ConnectEx after
 * binding, the two update-context options, WSASend/WSARecv through GetQueuedCompletionStatusEx, a
 * WSARecv cancelled by CancelIoEx whose completion still comes (aborted), closesocket, CloseHandle.
 * Consecutive GetQueuedCompletionStatusEx calls count as one (how many waits a completion takes
 * is timing). The fake also enforces the pinned-OVERLAPPED rule.
 */
class CallSequenceTest {
    @Test
    void anEchoRoundTripMakesTheCallsWinsockWasCheckedWith() throws IOException {
        CallRecorder recorder = new CallRecorder(new FakeWinsock());
        IocpCompletionPort port = new IocpCompletionPort(recorder.win32);

        WindowsSocket listener = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        listener.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        SocketAddress address = listener.localAddress();
        Outcome<ProactorSocket> accepted = new Outcome<>();
        port.accept(listener, accepted);
        WindowsSocket client = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        Outcome<Void> connected = new Outcome<>();
        port.connect(client, address, connected);
        PortRuns.rounds(port, () -> accepted.done && connected.done);
        assertTrue(connected.error == null && !connected.cancelled, "connected");
        ProactorSocket server = accepted.value;
        assertTrue(server != null, "accepted: " + accepted.error);
        assertEquals(address.toString().replaceAll(":\\d+$", ""), server.remoteAddress().toString().replaceAll(":\\d+$", ""));

        ByteBuffer received = ByteBuffer.allocate(64); // a heap buffer: the port stages it in native memory
        Outcome<Integer> recv = new Outcome<>();
        port.recv(server, received, recv);
        Outcome<Integer> send = new Outcome<>();
        port.send(client, ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), send);
        PortRuns.rounds(port, () -> recv.done && send.done);
        assertEquals(4, recv.value);
        assertEquals(4, received.position(), "the byte count was applied to the lent buffer");
        assertEquals(4, send.value);

        received.flip();
        Outcome<Integer> echo = new Outcome<>();
        port.send(server, received, echo);
        ByteBuffer reply = ByteBuffer.allocateDirect(64); // a direct buffer: lent to the kernel as it is
        Outcome<Integer> back = new Outcome<>();
        port.recv(client, reply, back);
        PortRuns.rounds(port, () -> echo.done && back.done);
        byte[] bytes = new byte[back.value];
        reply.flip().get(bytes);
        assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), bytes);

        Outcome<Integer> aborted = new Outcome<>();
        Operation waiting = port.recv(server, ByteBuffer.allocate(16), aborted);
        waiting.cancel();
        assertTrue(!aborted.done, "a cancelled operation still completes later, through the port");
        PortRuns.rounds(port, () -> aborted.done);
        assertTrue(aborted.cancelled, "the aborted WSARecv reports cancelled");

        client.close();
        server.close();
        listener.close();
        port.close();

        assertEquals(TraceFiles.calls("echo-sequence.txt"), TraceFiles.collapse(recorder.calls));
    }

    /**
     * A UDP round trip and two wake-ups, as datagram_sequence.c makes them: WSARecvFrom waiting,
     * WSASendTo to it, the sender's address decoded from what Winsock wrote; and
     * PostQueuedCompletionStatus, whose entry without an OVERLAPPED the port takes for a wake-up
     * (the second one proves the port re-arms it).
     */
    @Test
    void aDatagramRoundTripAndTheWakeUpMakeTheCallsWinsockWasCheckedWith() throws IOException {
        CallRecorder recorder = new CallRecorder(new FakeWinsock());
        IocpCompletionPort port = new IocpCompletionPort(recorder.win32);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        WindowsSocket a = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_DGRAM);
        a.bind(loopback);
        SocketAddress aAddress = a.localAddress();
        WindowsSocket b = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_DGRAM);
        b.bind(loopback);
        SocketAddress bAddress = b.localAddress();

        ByteBuffer datagram = ByteBuffer.allocate(64);
        Outcome<SocketAddress> received = new Outcome<>();
        port.recvFrom(a, datagram, received);
        Outcome<Integer> sent = new Outcome<>();
        port.sendTo(b, ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), aAddress, sent);
        PortRuns.rounds(port, () -> received.done && sent.done);
        assertEquals(4, sent.value);
        assertEquals(bAddress, received.value, "the sender, decoded from the sockaddr Winsock wrote");
        assertEquals(4, datagram.position());

        for (int round = 0; round < 2; round++) {
            port.wakeup();
            port.wakeup(); // one post per wait: the second finds the first still pending
            port.poll(0);
            port.dispatch((completion, failure) -> {
                throw failure;
            });
        }

        a.close();
        b.close();
        port.close();

        assertEquals(TraceFiles.calls("datagram-sequence.txt"), TraceFiles.collapse(recorder.calls));
    }

    /**
     * A pipe end the loop adopts (on Windows the JDK's pipe is a socket pair): associated with the
     * port, read with ReadFile and written with WriteFile; the writer's close is EOF, a ReadFile
     * of 0 bytes. Matches pipe_sequence.c, where making and closing the pair (the JDK's calls) are
     * not traced, as here they do not go through the port's Win32.
     */
    @Test
    void aPipeEndIsReadAndWrittenWithReadFileAndWriteFile() throws IOException {
        FakeWinsock winsock = new FakeWinsock();
        CallRecorder recorder = new CallRecorder(winsock);
        IocpCompletionPort port = new IocpCompletionPort(recorder.win32);
        long[] pair = winsock.pipe();
        WindowsSocket source = WindowsSocket.adopt(port, new JdkPipeEnd(winsock, pair[0]), pair[0], 0, 0);
        WindowsSocket sink = WindowsSocket.adopt(port, new JdkPipeEnd(winsock, pair[1]), pair[1], 0, 0);

        ByteBuffer target = ByteBuffer.allocate(64);
        Outcome<Integer> read = new Outcome<>();
        port.read(source, target, read);
        Outcome<Integer> written = new Outcome<>();
        port.write(sink, ByteBuffer.wrap("data".getBytes(StandardCharsets.US_ASCII)), written);
        PortRuns.rounds(port, () -> read.done && written.done);
        assertEquals(4, read.value);
        assertEquals(4, written.value);

        sink.close();
        Outcome<Integer> eof = new Outcome<>();
        port.read(source, ByteBuffer.allocate(64), eof);
        PortRuns.rounds(port, () -> eof.done);
        assertEquals(0, eof.value, "EOF");
        source.close();
        port.close();

        assertEquals(TraceFiles.calls("pipe-sequence.txt"), TraceFiles.collapse(recorder.calls));
    }

    /** The JDK's pipe end, as a channel whose close is the JDK's (not the port's) call. */
    private static final class JdkPipeEnd implements java.nio.channels.Channel {
        private final FakeWinsock winsock;
        private final long handle;
        private boolean open = true;

        JdkPipeEnd(FakeWinsock winsock, long handle) {
            this.winsock = winsock;
            this.handle = handle;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                winsock.closePipeEnd(handle);
            }
        }
    }
}

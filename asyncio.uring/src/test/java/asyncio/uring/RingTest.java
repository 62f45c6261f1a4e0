package asyncio.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.Operation;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ring and the completion port on the real kernel: ordering, the timed wait, wake-up, cancel, close. */
class RingTest {
    @BeforeAll
    static void kernelHasIoUring() {
        String reason = UringEventLoopProvider.kernelReason();
        assumeTrue(reason == null, "io_uring unavailable: " + reason);
    }

    /** Records the one outcome an operation gets. */
    static final class Recorder<T> implements Completion<T> {
        final List<String> outcomes = new ArrayList<>();
        T result;

        @Override
        public void completed(T value) {
            result = value;
            outcomes.add("completed");
        }

        @Override
        public void failed(IOException error) {
            outcomes.add("failed " + error);
        }

        @Override
        public void cancelled() {
            outcomes.add("cancelled");
        }
    }

    @Test
    void probeListsTheOpcodesTheLoopSubmits() throws IOException {
        try (Ring ring = Ring.open(4)) {
            boolean[] supported = ring.supportedOpcodes();
            assertTrue(supported[Kernel.IORING_OP_RECV] && supported[Kernel.IORING_OP_ASYNC_CANCEL]);
        }
    }

    @Test
    void completionsArriveInTheOrderTheKernelPostedThem() throws IOException {
        try (Ring ring = Ring.open(8)) {
            // More than the ring holds: nextEntry submits when full.
            for (long i = 0; i < 20; i++) {
                ring.prepare(Kernel.IORING_OP_NOP, -1, 0, 0, 0, i);
            }
            ring.submit();
            List<Long> seen = new ArrayList<>();
            while (seen.size() < 20) {
                ring.submitAndWait(1_000_000_000L);
                ring.reap((userData, result, flags) -> seen.add(userData));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(i, seen.get(i));
            }
        }
    }

    @Test
    void aTimedWaitReturnsAfterItsTimeout() throws IOException {
        // io_uring_enter with EXT_ARG takes seven syscall arguments: a wrong sixth would fail (EFAULT) or not wait.
        try (Ring ring = Ring.open(4)) {
            long start = System.nanoTime();
            ring.submitAndWait(100_000_000L);
            long waited = System.nanoTime() - start;
            assertTrue(waited >= 90_000_000L, "waited only " + waited + " ns");
            assertTrue(waited < 5_000_000_000L, "waited " + waited + " ns");
        }
    }

    @Test
    void wakeupFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        UringCompletionPort port = new UringCompletionPort();
        try {
            Thread poller = Thread.currentThread();
            Thread waker = Thread.ofPlatform().start(() -> {
                awaitInSubmitAndWait(poller);
                port.wakeup();
            });
            long start = System.nanoTime();
            port.poll(-1);
            assertTrue(System.nanoTime() - start < 10_000_000_000L);
            waker.join();
            // A second wake-up works as well (the eventfd read was re-armed).
            port.wakeup();
            port.poll(-1);
        } finally {
            port.close();
        }
    }

    /**
     * Waits (bounded) until {@code poller} is inside {@link Ring#submitAndWait}, the call that blocks
     * in the kernel, so the wake-up has to interrupt a wait. After five seconds it gives up, which
     * only weakens the test: a wake-up must end the poll whenever it comes.
     */
    private static void awaitInSubmitAndWait(Thread poller) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (StackTraceElement frame : poller.getStackTrace()) {
                if (frame.getClassName().equals(Ring.class.getName()) && frame.getMethodName().equals("submitAndWait")) {
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Test
    void aCancelRacingDataGetsExactlyOneOutcomeAndLosesNoByte() throws Exception {
        UringCompletionPort port = new UringCompletionPort();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel peer = SocketChannel.open(listener.getLocalAddress())) {
            SocketChannel accepted = listener.accept();
            accepted.configureBlocking(false);
            UringSocket socket = new UringSocket(port, accepted);
            for (int round = 0; round < 50; round++) {
                ByteBuffer target = ByteBuffer.allocateDirect(16);
                Recorder<Integer> recorder = new Recorder<>();
                Operation op = port.recv(socket, target, recorder);
                port.poll(0); // the receive is in the kernel
                peer.write(ByteBuffer.wrap(new byte[] {(byte) round}));
                op.cancel();
                op.cancel(); // idempotent
                while (recorder.outcomes.isEmpty()) {
                    port.poll(1_000_000_000L);
                    port.dispatch((completion, error) -> { throw error; });
                }
                assertEquals(1, recorder.outcomes.size(), recorder.outcomes.toString());
                if (recorder.outcomes.get(0).equals("cancelled")) {
                    // The byte is still the socket's: the next receive gets it.
                    assertEquals(0, target.position());
                    Recorder<Integer> again = new Recorder<>();
                    port.recv(socket, target, again);
                    while (again.outcomes.isEmpty()) {
                        port.poll(1_000_000_000L);
                        port.dispatch((completion, error) -> { throw error; });
                    }
                    assertEquals(List.of("completed"), again.outcomes);
                } else {
                    assertEquals("completed", recorder.outcomes.get(0));
                }
                assertEquals(1, target.position());
                assertEquals(round, target.get(0));
            }
            socket.close();
            port.poll(0);
            assertEquals(0, port.inKernel());
        } finally {
            port.close();
        }
    }

    @Test
    void closingThePortWithPendingOperationsWaitsForTheKernelToLetGo() throws Exception {
        UringCompletionPort port = new UringCompletionPort();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            accepted.configureBlocking(false);
            UringSocket socket = new UringSocket(port, accepted);
            ByteBuffer target = ByteBuffer.allocateDirect(16);
            Recorder<Integer> recorder = new Recorder<>();
            port.recv(socket, target, recorder);
            port.poll(0);
            assertEquals(1, port.inKernel());
            int limbo = UringCompletionPort.LIMBO.size();
            port.close();
            // The cancel was drained: the kernel has let go, nothing left in limbo but the wake-up buffer.
            assertEquals(0, port.inKernel());
            assertTrue(UringCompletionPort.LIMBO.size() <= limbo + 1);
            // The buffer was never written, and no completion ran after close.
            peer.write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(0, target.position());
            assertTrue(recorder.outcomes.isEmpty());
            assertNull(recorder.result);
        }
    }

    @Test
    void closingASocketCancelsItsPendingReceive() throws Exception {
        UringCompletionPort port = new UringCompletionPort();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel peer = SocketChannel.open(listener.getLocalAddress())) {
            SocketChannel accepted = listener.accept();
            accepted.configureBlocking(false);
            UringSocket socket = new UringSocket(port, accepted);
            Recorder<Integer> recorder = new Recorder<>();
            port.recv(socket, ByteBuffer.allocate(16), recorder); // a heap buffer: staged in direct memory
            port.poll(0);
            socket.close();
            assertFalse(accepted.isOpen());
            while (recorder.outcomes.isEmpty()) {
                port.poll(1_000_000_000L);
                port.dispatch((completion, error) -> { throw error; });
            }
            assertEquals(List.of("cancelled"), recorder.outcomes);
            assertTrue(peer.isConnected());
        } finally {
            port.close();
        }
    }

    @Test
    void aReadOfAnEmptyNonBlockingPipeWaitsForDataInsteadOfFailing() throws Exception {
        UringCompletionPort port = new UringCompletionPort();
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            UringSocket end = new UringSocket(port, source);
            ByteBuffer target = ByteBuffer.allocate(8); // heap: staged
            Recorder<Integer> recorder = new Recorder<>();
            port.read(end, target, recorder);
            // The kernel answers EAGAIN; the port polls instead of reporting it.
            for (int i = 0; i < 3; i++) {
                port.poll(0);
                port.dispatch((completion, error) -> { throw error; });
            }
            assertTrue(recorder.outcomes.isEmpty(), recorder.outcomes.toString());
            sink.write(ByteBuffer.wrap(new byte[] {7, 8}));
            while (recorder.outcomes.isEmpty()) {
                port.poll(1_000_000_000L);
                port.dispatch((completion, error) -> { throw error; });
            }
            assertEquals(List.of("completed"), recorder.outcomes);
            assertEquals(2, recorder.result);
            assertEquals(2, target.position());
            assertEquals(8, target.get(1));
            end.close();
        } finally {
            port.close();
        }
    }

    @Test
    void thisKernelAcceptsAndConnectsOnTheRing() throws IOException {
        UringCompletionPort port = new UringCompletionPort();
        try {
            assertTrue(port.acceptsAndConnectsOnTheRing(), "IORING_OP_ACCEPT/CONNECT are in the probe on 5.5+");
        } finally {
            port.close();
        }
    }

    @ParameterizedTest(name = "ring ops: {0}")
    @ValueSource(booleans = {true, false})
    void aNativeListenerAcceptsWhatANativeSocketConnects(boolean ringOps) throws Exception {
        UringCompletionPort port = new UringCompletionPort(ringOps);
        UringSocket listener = new UringSocket(port, port.sockets.openListening(StandardProtocolFamily.INET));
        UringSocket client = new UringSocket(port, port.sockets.openStream(StandardProtocolFamily.INET));
        UringSocket accepted = null;
        try {
            listener.listen(loopback(), 8);
            Recorder<asyncio.spi.proactor.ProactorSocket> acceptance = new Recorder<>();
            Recorder<Void> connection = new Recorder<>();
            port.accept(listener, acceptance);
            port.connect(client, listener.localAddress(), connection);
            while (acceptance.outcomes.isEmpty() || connection.outcomes.isEmpty()) {
                port.poll(1_000_000_000L);
                port.dispatch((completion, error) -> { throw error; });
            }
            assertEquals(List.of("completed"), acceptance.outcomes);
            assertEquals(List.of("completed"), connection.outcomes);
            accepted = (UringSocket) acceptance.result;
            // Both native sockets know their state, as NIO channels would.
            assertEquals(client.localAddress(), accepted.remoteAddress());
            assertEquals(listener.localAddress(), client.remoteAddress());
            client.shutdownOutput();
        } finally {
            if (accepted != null) {
                accepted.close();
            }
            client.close();
            listener.close();
            port.close();
        }
    }

    @Test
    void aConnectToNothingFailsAsNioWouldSay() throws Exception {
        UringCompletionPort port = new UringCompletionPort();
        UringSocket listener = new UringSocket(port, port.sockets.openListening(StandardProtocolFamily.INET));
        UringSocket client = new UringSocket(port, port.sockets.openStream(StandardProtocolFamily.INET));
        try {
            listener.listen(loopback(), 1);
            SocketAddress nobody = listener.localAddress();
            listener.close(); // the port is free now: the connect is refused
            Recorder<Void> connection = new Recorder<>();
            port.connect(client, nobody, connection);
            while (connection.outcomes.isEmpty()) {
                port.poll(1_000_000_000L);
                port.dispatch((completion, error) -> { throw error; });
            }
            assertTrue(connection.outcomes.get(0).startsWith("failed java.net.ConnectException"), connection.outcomes.toString());
        } finally {
            client.close();
            port.close();
        }
    }

    @Test
    void thisKernelSetsUpACooperativeRing() throws IOException {
        // 5.19+ (the CI kernel is newer): the echo path's poll-first receives depend on it.
        try (Ring ring = Ring.open(4)) {
            assertTrue(ring.cooperative);
        }
        try (Ring ring = Ring.open(4, false)) {
            assertFalse(ring.cooperative);
        }
    }

    /**
     * Receives on a drained socket wait for readiness first (poll-first) and one that filled its
     * buffer tries at once; either way every byte arrives in order. A port that only ever polls
     * with no wait (a loop whose callbacks are always ready) still sees its completions, which on a
     * cooperative ring wait in the kernel for the loop's next io_uring_enter.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void receivesCompleteOnAPortThatNeverWaits(boolean modern) throws Exception {
        UringCompletionPort port = new UringCompletionPort(true, modern);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel peer = SocketChannel.open(listener.getLocalAddress())) {
            SocketChannel accepted = listener.accept();
            accepted.configureBlocking(false);
            UringSocket socket = new UringSocket(port, accepted);
            ByteBuffer target = ByteBuffer.allocateDirect(8);
            int expected = 0;
            for (int round = 0; round < 20; round++) {
                // Rounds alternate: 3 bytes (drains the socket), then 20 (fills the 8-byte buffer twice over).
                int size = round % 2 == 0 ? 3 : 20;
                byte[] sent = new byte[size];
                for (int i = 0; i < size; i++) {
                    sent[i] = (byte) (expected + i);
                }
                peer.write(ByteBuffer.wrap(sent));
                int got = 0;
                while (got < size) {
                    target.clear();
                    Recorder<Integer> recorder = new Recorder<>();
                    port.recv(socket, target, recorder);
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (recorder.outcomes.isEmpty() && System.nanoTime() < deadline) {
                        port.poll(0);
                        port.dispatch((completion, error) -> { throw error; });
                    }
                    assertEquals(List.of("completed"), recorder.outcomes);
                    for (int i = 0; i < recorder.result; i++) {
                        assertEquals((byte) (expected + got + i), target.get(i));
                    }
                    got += recorder.result;
                }
                expected += size;
            }
            socket.close();
            port.poll(0);
        } finally {
            port.close();
        }
    }
}

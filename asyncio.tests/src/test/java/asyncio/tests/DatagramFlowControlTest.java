package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Runner;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.selector.SelectorEventLoop;
import asyncio.spi.DatagramSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flow control of a datagram transport's send queue. Loopback UDP never pushes back (the kernel
 * frees a datagram's send buffer as soon as loopback delivers it), so this test runs the
 * selector loop with a socket seam that refuses sends while told to: the queueing, the marks and
 * the draining are the shared transport logic every readiness loop uses.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class DatagramFlowControlTest {

    /** A selector loop whose datagram sockets refuse to send while {@link #full} is set. */
    static final class PushingBackLoop extends SelectorEventLoop {
        boolean full;

        @Override
        protected DatagramSocket openDatagramSocket(ProtocolFamily family) throws IOException {
            return new PushingBack(super.openDatagramSocket(family), this);
        }
    }

    private record PushingBack(DatagramSocket socket, PushingBackLoop loop) implements DatagramSocket {
        @Override
        public <T> void setOption(SocketOption<T> option, T value) throws IOException {
            socket.setOption(option, value);
        }

        @Override
        public <T> T getOption(SocketOption<T> option) throws IOException {
            return socket.getOption(option);
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return socket.localAddress();
        }

        @Override
        public Object channel() {
            return socket.channel();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        @Override
        public void bind(SocketAddress local) throws IOException {
            socket.bind(local);
        }

        @Override
        public void connect(SocketAddress remote) throws IOException {
            socket.connect(remote);
        }

        @Override
        public SocketAddress remoteAddress() throws IOException {
            return socket.remoteAddress();
        }

        @Override
        public SocketAddress receive(ByteBuffer target) throws IOException {
            return socket.receive(target);
        }

        @Override
        public boolean send(ByteBuffer source) throws IOException {
            return !loop.full && socket.send(source);
        }

        @Override
        public boolean sendTo(ByteBuffer source, SocketAddress target) throws IOException {
            return !loop.full && socket.sendTo(source, target);
        }
    }

    @Test
    void queuedDatagramsPauseTheProtocolAboveTheHighMarkAndDrainInOrder() {
        PushingBackLoop pushingBack = new PushingBackLoop();
        List<Object> seen;
        try (Runner runner = new Runner(null, () -> pushingBack)) {
            seen = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                DatagramEndpoint<DatagramTest.Recorder> server = within(loop.createDatagramEndpoint(
                        DatagramTest.Recorder::new, LoopbackPeers.loopback(0), null));
                DatagramEndpoint<DatagramTest.Recorder> client = within(loop.createDatagramEndpoint(
                        DatagramTest.Recorder::new, null, (SocketAddress) server.transport().getExtraInfo("sockname")));
                client.transport().setWriteBufferLimits(100, 50);
                pushingBack.full = true;
                for (String word : List.of("one-----------------------------", "two", "three---------------------------",
                        "four----------------------------")) {
                    client.transport().sendto(ascii(word));
                }
                List<Object> result = new ArrayList<>();
                result.add(client.transport().getWriteBufferSize());
                result.add(List.copyOf(client.protocol().events));
                pushingBack.full = false;
                while (server.protocol().datagrams.size() < 4) {
                    server.protocol().awaitDatagram();
                }
                result.add(client.transport().getWriteBufferSize());
                result.add(List.copyOf(client.protocol().events));
                result.add(server.protocol().datagrams.stream().map(d -> d.substring(0, d.indexOf('-') < 0 ? d.indexOf('@') : d.indexOf('-'))).toList());
                client.transport().close();
                server.transport().close();
                within(client.protocol().lost);
                within(server.protocol().lost);
                return result;
            });
        }
        assertEquals(32 + 3 + 32 + 32 + 4 * 8, seen.get(0));
        assertEquals(List.of("made", "pause"), seen.get(1));
        assertEquals(0, seen.get(2));
        assertEquals(List.of("made", "pause", "resume"), seen.get(3));
        assertEquals(List.of("one", "two", "three", "four"), seen.get(4));
    }
}

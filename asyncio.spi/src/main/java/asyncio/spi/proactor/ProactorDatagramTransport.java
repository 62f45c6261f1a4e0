package asyncio.spi.proactor;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.LoopTransportSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A datagram transport driven by completions: one receive pending while open, one send in
 * flight while datagrams are queued. OS errors of either go to {@code errorReceived} and the
 * transport stays open, as asyncio's {@code _ProactorDatagramTransport} does.
 */
final class ProactorDatagramTransport extends ProactorTransport implements DatagramTransport {
    /** The largest UDP payload: no datagram is cut short. */
    private static final int MAX_DATAGRAM = 65536;

    private record Outgoing(ByteBuffer data, SocketAddress target) {
    }

    private final LoopTransportSocket socketView;
    private final SocketAddress sockname;
    private final SocketAddress peer;
    /** Where {@code sendto(data)} goes on an unconnected (broadcast) socket given a remote address. */
    private final SocketAddress defaultTarget;
    private final ArrayDeque<Outgoing> queued = new ArrayDeque<>();
    private final Receiver receiver = new Receiver();
    private final Sender sender = new Sender();
    private DatagramProtocol protocol;
    private ByteBuffer readBuffer;
    private Operation readOp;
    private Operation writeOp;
    private long pendingBytes;
    private int highWater;
    private int lowWater;
    private boolean protocolPaused;

    ProactorDatagramTransport(ProactorEventLoop loop, ProactorSocket socket, DatagramProtocol protocol,
                              SocketAddress peer, SocketAddress defaultTarget, Future<Void> waiter) throws IOException {
        super(loop, socket);
        this.socketView = new LoopTransportSocket(socket);
        this.sockname = socket.localAddress();
        this.peer = peer;
        this.defaultTarget = defaultTarget;
        this.protocol = protocol;
        setWriteBufferLimits(null, null);
        start(waiter);
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        if (name == null) {
            return defaultValue;
        }
        return switch (name) {
            case "socket" -> socketView;
            case "sockname" -> sockname;
            case "peername" -> peer != null ? peer : defaultValue;
            default -> defaultValue;
        };
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        Objects.requireNonNull(newProtocol, "protocol");
        if (!(newProtocol instanceof DatagramProtocol datagram)) {
            throw new IllegalArgumentException("a datagram transport needs a DatagramProtocol, got "
                    + newProtocol.getClass().getName());
        }
        protocol = datagram;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    // --- receiving ---

    @Override
    String kind() {
        return "datagram";
    }

    @Override
    void startReading() {
        if (readOp != null || closing) {
            return;
        }
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        }
        readBuffer.clear();
        try {
            readOp = loop.port().recvFrom(socket, readBuffer, receiver);
        } catch (RuntimeException error) {
            fatalError(error, "Fatal read error on datagram transport");
        }
    }

    @Override
    void stopReading() {
        if (readOp != null) {
            readOp.cancel();
        }
    }

    private final class Receiver implements Completion<SocketAddress> {
        @Override
        public void completed(SocketAddress from) {
            readOp = null;
            if (closing) {
                return;
            }
            bytesReceived += readBuffer.position();
            ByteBuffer data = readBuffer.flip();
            try {
                protocol.datagramReceived(data, from);
            } catch (RuntimeException | Error error) {
                rethrowIfFatal(error);
                fatalError(error, "Fatal error: protocol.datagramReceived() call failed.");
                return;
            }
            startReading();
        }

        @Override
        public void failed(IOException error) {
            readOp = null;
            if (closing) {
                return;
            }
            protocol.errorReceived(error);
            startReading();
        }

        @Override
        public void cancelled() {
            readOp = null;
        }
    }

    // --- sending ---

    @Override
    public void sendto(ByteBuffer data, SocketAddress address) {
        Objects.requireNonNull(data, "data");
        SocketAddress fixed = peer != null ? peer : defaultTarget;
        if (fixed != null && address != null && !address.equals(fixed)) {
            throw new IllegalArgumentException("Invalid address: must be None or " + fixed);
        }
        if (fixed == null && address == null) {
            throw new IllegalArgumentException("a destination address is needed on an unconnected socket");
        }
        if (connLost > 0) {
            noteWriteAfterLoss("socket.sendto() raised exception.");
            data.position(data.limit());
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queued.add(new Outgoing(copy, peer != null ? null : address != null ? address : defaultTarget));
        pendingBytes += copy.remaining();
        if (writeOp == null) {
            sendNext();
        }
        maybePauseProtocol();
    }

    private void sendNext() {
        Outgoing next = queued.peek();
        try {
            writeOp = loop.port().sendTo(socket, next.data(), next.target(), sender);
        } catch (RuntimeException error) {
            fatalError(error, "Fatal write error on datagram transport");
        }
    }

    private final class Sender implements Completion<Integer> {
        @Override
        public void completed(Integer count) {
            bytesSent += count;
            sent();
        }

        @Override
        public void failed(IOException error) {
            if (!lossScheduled) {
                protocol.errorReceived(error);
            }
            sent();
        }

        @Override
        public void cancelled() {
            writeOp = null;
        }

        private void sent() {
            writeOp = null;
            Outgoing done = queued.poll();
            if (done != null && !lossScheduled) {
                pendingBytes -= done.data().limit();
            }
            if (lossScheduled) {
                return;
            }
            if (!queued.isEmpty()) {
                sendNext();
                return;
            }
            maybeResumeProtocol();
            if (closing) {
                scheduleLoss(null);
            }
        }
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, pendingBytes);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(lowWater, highWater);
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        int newHigh = high != null ? high : low == null ? 64 * 1024 : 4 * low;
        int newLow = low != null ? low : newHigh / 4;
        if (!(newHigh >= newLow && newLow >= 0)) {
            throw new IllegalArgumentException("high (" + newHigh + ") must be >= low (" + newLow + ") must be >= 0");
        }
        highWater = newHigh;
        lowWater = newLow;
        maybePauseProtocol();
    }

    private void maybePauseProtocol() {
        if (pendingBytes <= highWater || protocolPaused || protocol == null) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            reportError("protocol.pauseWriting() failed", error);
        }
    }

    private void maybeResumeProtocol() {
        if (!protocolPaused || pendingBytes > lowWater) {
            return;
        }
        protocolPaused = false;
        try {
            protocol.resumeWriting();
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            reportError("protocol.resumeWriting() failed", error);
        }
    }

    @Override
    boolean hasBuffered() {
        return !queued.isEmpty();
    }

    @Override
    void discardBuffered() {
        // The datagram in flight stays queued until its completion: its buffer is the kernel's.
        if (writeOp != null) {
            writeOp.cancel();
        }
        pendingBytes = 0;
    }

    @Override
    public String toString() {
        return "<ProactorDatagramTransport " + (lossScheduled ? "closed" : closing ? "closing" : "open")
                + " sockname=" + sockname + ">";
    }
}

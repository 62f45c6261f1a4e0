package asyncio.spi;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import asyncio.api.transports.WriteBufferLimits;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A datagram transport over any {@link DatagramSocket} on a readiness loop: each readable event
 * delivers one datagram, a send tries the kernel at once and queues only what it refuses, and
 * socket errors (an ICMP "port unreachable" on a connected endpoint) go to
 * {@code errorReceived} without closing. Mirrors {@code _SelectorDatagramTransport}; one place
 * closes ({@link #forceClose}) and one place reports ({@link #callConnectionLost}).
 */
final class DatagramSocketTransport implements DatagramTransport, ReadyListener {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    /** Each queued datagram counts this much more than its bytes. Mirrors {@code _header_size}. */
    private static final int HEADER_SIZE = 8;
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    private final ReadinessEventLoop loop;
    private final DatagramSocket socket;
    private final SocketAddress address;
    private final Readiness readiness;
    private final WriteFlowControl flow;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private DatagramProtocol protocol;
    private long bufferSize;
    private boolean closing;
    private int connLost;
    private boolean lost;

    /** A datagram the kernel refused for now, and where it goes (null: the connected peer). */
    private record Queued(ByteBuffer data, SocketAddress target) {
    }

    DatagramSocketTransport(ReadinessEventLoop loop, DatagramSocket socket, DatagramProtocol protocol,
                            SocketAddress address, Future<Void> waiter) throws IOException {
        this.loop = loop;
        this.socket = socket;
        this.address = address;
        this.flow = new WriteFlowControl(loop, this);
        // One view per transport, so every getExtraInfo("socket") returns the same object.
        extra.put("socket", new LoopTransportSocket(socket));
        extra.put("sockname", socket.localAddress());
        extra.put("peername", socket.remoteAddress());
        setProtocol(protocol);
        this.readiness = loop.register(socket, this);
        loop.callSoon(() -> start(waiter));
    }

    private void start(Future<Void> waiter) {
        // asyncio schedules these as three callbacks: a failing connectionMade stops none of the others.
        try {
            protocol.connectionMade(this);
        } finally {
            if (!closing) {
                readiness.watchRead(true);
            }
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    // --- BaseTransport ---

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        Objects.requireNonNull(newProtocol, "protocol");
        if (!(newProtocol instanceof DatagramProtocol datagramProtocol)) {
            throw new IllegalArgumentException("a datagram transport needs a DatagramProtocol, got "
                    + newProtocol.getClass().getName());
        }
        protocol = datagramProtocol;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        readiness.watchRead(false);
        if (queue.isEmpty()) {
            connLost++;
            readiness.watchWrite(false);
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    // --- receiving ---

    @Override
    public void readable() {
        if (connLost > 0) {
            return;
        }
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        SocketAddress sender;
        try {
            sender = socket.receive(buffer);
        } catch (IOException error) {
            protocol.errorReceived(error);
            return;
        } catch (RuntimeException error) {
            fatalError(error, "Fatal read error on datagram transport");
            return;
        }
        if (sender != null) {
            protocol.datagramReceived(buffer.flip(), sender);
        }
    }

    // --- sending ---

    @Override
    public void sendto(ByteBuffer data, SocketAddress target) {
        Objects.requireNonNull(data, "data");
        SocketAddress destination = target;
        if (address != null) {
            if (target != null && !target.equals(address)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + address);
            }
            destination = address;
        }
        if (connLost > 0 && (address != null || lost)) {
            noteSendAfterLoss();
            data.position(data.limit());
            return;
        }
        if (queue.isEmpty()) {
            try {
                if (send(data, destination)) {
                    return;
                }
            } catch (IOException error) {
                data.position(data.limit());
                protocol.errorReceived(error);
                return;
            } catch (RuntimeException error) {
                data.position(data.limit());
                fatalError(error, "Fatal write error on datagram transport");
                return;
            }
            readiness.watchWrite(true);
        }
        // The caller may reuse its buffer at once: keep a copy.
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queue.add(new Queued(copy, destination));
        bufferSize += copy.remaining() + HEADER_SIZE;
        flow.maybePause(bufferSize, protocol);
    }

    private boolean send(ByteBuffer data, SocketAddress destination) throws IOException {
        return extra.get("peername") != null ? socket.send(data) : socket.sendTo(data, destination);
    }

    @Override
    public void writable() {
        while (!queue.isEmpty()) {
            Queued next = queue.poll();
            bufferSize -= next.data().remaining() + HEADER_SIZE;
            try {
                if (!send(next.data(), next.target())) {
                    queue.addFirst(next);
                    bufferSize += next.data().remaining() + HEADER_SIZE;
                    break;
                }
            } catch (IOException error) {
                protocol.errorReceived(error);
                return;
            } catch (RuntimeException error) {
                fatalError(error, "Fatal write error on datagram transport");
                return;
            }
        }
        flow.maybeResume(bufferSize, protocol);
        if (queue.isEmpty()) {
            readiness.watchWrite(false);
            if (closing) {
                callConnectionLost(null);
            }
        }
    }

    private void noteSendAfterLoss() {
        if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
            LOG.warn("socket.send() raised exception.");
        }
        connLost++;
    }

    // --- flow control ---

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, bufferSize);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return flow.limits();
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        flow.setLimits(high, low);
        flow.maybePause(bufferSize, protocol);
    }

    // --- closing: one place closes, one place reports ---

    private void fatalError(Throwable error, String message) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", error);
        context.put("transport", this);
        context.put("protocol", protocol);
        loop.callExceptionHandler(context);
        forceClose(error);
    }

    private void forceClose(Throwable error) {
        if (connLost > 0) {
            return;
        }
        if (!queue.isEmpty()) {
            queue.clear();
            bufferSize = 0;
            readiness.watchWrite(false);
        }
        if (!closing) {
            closing = true;
            readiness.watchRead(false);
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(error));
    }

    private void callConnectionLost(Throwable error) {
        if (lost) {
            return;
        }
        lost = true;
        try {
            protocol.connectionLost(error);
        } finally {
            readiness.cancel();
            ReadinessEventLoop.closeQuietly(socket);
        }
    }

    @Override
    public String toString() {
        return "<DatagramSocketTransport " + (lost ? "closed" : closing ? "closing" : "open")
                + " local=" + extra.get("sockname") + " remote=" + address + " buffered=" + bufferSize + ">";
    }
}

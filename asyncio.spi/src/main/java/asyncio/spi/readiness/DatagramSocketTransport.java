package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.DatagramSocket;
import asyncio.spi.LoopTransportSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A datagram transport over any {@link DatagramSocket} on a readiness loop: each readable event
 * delivers one datagram, a send tries the kernel at once and queues only what it refuses, and
 * socket errors (an ICMP "port unreachable" on a connected endpoint) go to
 * {@code errorReceived} without closing. Mirrors {@code _SelectorDatagramTransport}; closing and
 * reporting the loss are the shared {@link ReadinessTransport}'s.
 */
final class DatagramSocketTransport extends ReadinessTransport implements DatagramTransport {
    /** Each queued datagram counts this much more than its bytes. Mirrors {@code _header_size}. */
    private static final int HEADER_SIZE = 8;

    private final DatagramSocket socket;
    private final SocketAddress address;
    private final WriteFlowControl flow;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private DatagramProtocol protocol;
    private long bufferSize;

    /** A datagram the kernel refused for now, and where it goes (null: the connected peer). */
    private record Queued(ByteBuffer data, SocketAddress target) {
    }

    DatagramSocketTransport(ReadinessEventLoop loop, DatagramSocket socket, DatagramProtocol protocol,
                            SocketAddress address, Future<Void> waiter) throws IOException {
        super(loop, socket);
        this.socket = socket;
        this.address = address;
        this.flow = new WriteFlowControl(loop, this);
        // One view per transport, so every getExtraInfo("socket") returns the same object.
        extra.put("socket", new LoopTransportSocket(socket));
        extra.put("sockname", socket.localAddress());
        extra.put("peername", socket.remoteAddress());
        setProtocol(protocol);
        register();
        loop.callSoon(() -> start(waiter));
    }

    @Override
    String kind() {
        return "datagram";
    }

    @Override
    boolean readsOnceMade() {
        return !closing;
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
            bytesReceived += buffer.position();
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
            noteWriteAfterLoss("socket.send() raised exception.");
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
        int size = data.remaining();
        boolean sent = extra.get("peername") != null ? socket.send(data) : socket.sendTo(data, destination);
        if (sent) {
            bytesSent += size;
        }
        return sent;
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

    // --- closing: the shared logic calls these ---

    @Override
    boolean hasBuffered() {
        return !queue.isEmpty();
    }

    @Override
    void discardBuffered() {
        queue.clear();
        bufferSize = 0;
        readiness.watchWrite(false);
    }

    /** Socket errors go to {@code errorReceived}: what ends the transport is a bug, always reported. */
    @Override
    boolean isPeerError(Throwable error) {
        return false;
    }

    @Override
    public String toString() {
        return "<DatagramSocketTransport " + (lost ? "closed" : closing ? "closing" : "open")
                + " local=" + extra.get("sockname") + " remote=" + address + " buffered=" + bufferSize + ">";
    }
}

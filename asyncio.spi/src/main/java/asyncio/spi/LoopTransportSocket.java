package asyncio.spi;

import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link TransportSocket} over any {@link LoopSocket}, so every readiness loop gives the same
 * view whatever its sockets are. Mirrors {@code asyncio.trsock.TransportSocket}. A transport or
 * server makes one per socket and hands out that instance, so callers may compare them.
 */
public final class LoopTransportSocket implements TransportSocket {
    private final LoopSocket socket;

    /** A view of {@code socket}; the caller keeps owning it. */
    public LoopTransportSocket(LoopSocket socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        requireOpen();
        return socket.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        requireOpen();
        return socket.remoteAddress();
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        Objects.requireNonNull(option, "option");
        requireOpen();
        return socket.getOption(option);
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        Objects.requireNonNull(option, "option");
        requireOpen();
        socket.setOption(option, value);
    }

    @Override
    public int fileno() {
        return socket.isOpen() ? socket.fileno() : -1;
    }

    @Override
    public ProtocolFamily family() throws IOException {
        requireOpen();
        return socket.family();
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public Optional<Channel> channel() {
        return socket.channel() instanceof Channel nio ? Optional.of(nio) : Optional.empty();
    }

    /**
     * Fails the same way on every loop: a raw descriptor, once closed, may already number another
     * socket, so it must not be asked at all.
     */
    private void requireOpen() throws ClosedChannelException {
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** Like Python's repr: the addresses while open. */
    @Override
    public String toString() {
        if (!socket.isOpen()) {
            return "<TransportSocket closed>";
        }
        StringBuilder text = new StringBuilder("<TransportSocket");
        try {
            text.append(" local=").append(socket.localAddress());
            SocketAddress remote = socket.remoteAddress();
            if (remote != null) {
                text.append(" remote=").append(remote);
            }
        } catch (IOException unreadable) {
            // A socket closed meanwhile, or one that has no address: show what was read.
        }
        return text.append('>').toString();
    }
}

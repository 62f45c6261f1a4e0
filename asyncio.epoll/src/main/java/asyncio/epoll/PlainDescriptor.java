package asyncio.epoll;

import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * A descriptor the epoll loop registers that is not a socket (a pipe end, a pidfd, an
 * application's descriptor): no options, no address.
 */
interface PlainDescriptor extends NativeSocket {
    @Override
    default <T> void setOption(SocketOption<T> option, T value) {
        throw new UnsupportedOperationException("not a socket: " + this);
    }

    @Override
    default <T> T getOption(SocketOption<T> option) {
        throw new UnsupportedOperationException("not a socket: " + this);
    }

    @Override
    default SocketAddress localAddress() {
        return null;
    }
}

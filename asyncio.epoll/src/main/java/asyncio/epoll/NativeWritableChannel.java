package asyncio.epoll;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A native socket as the target of {@link java.nio.channels.FileChannel#transferTo}: the JDK
 * hides a file channel's descriptor, so the epoll loop cannot call sendfile(2) itself and lets
 * the JDK copy the file through its own direct buffer instead. Does not own the socket.
 */
final class NativeWritableChannel implements WritableByteChannel {
    private final NativeStreamSocket socket;

    NativeWritableChannel(NativeStreamSocket socket) {
        this.socket = socket;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return socket.write(source);
    }

    @Override
    public boolean isOpen() {
        return socket.fd() >= 0;
    }

    @Override
    public void close() {
        // The transport closes the socket.
    }
}

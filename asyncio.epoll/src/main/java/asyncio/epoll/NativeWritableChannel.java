package asyncio.epoll;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A native socket as the target of {@link java.nio.channels.FileChannel#transferTo}, for a
 * sendfile that cannot read the file's descriptor (the JVM runs without {@code --add-opens
 * java.base/sun.nio.ch}): the JDK then copies the file through its own buffer. Does not own the socket.
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

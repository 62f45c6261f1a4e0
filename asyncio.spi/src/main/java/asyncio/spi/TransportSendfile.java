package asyncio.spi;

import asyncio.api.Future;
import asyncio.api.SendfileNotAvailableError;
import asyncio.api.transports.WriteTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sending a file over a stream transport: the kernel's sendfile on the transport's socket once
 * its write buffer is empty (writes are refused meanwhile), else writing what is read with flow
 * control. Mirrors {@code loop.sendfile()} with {@code _sendfile_native} ({@code selector_events})
 * and {@code _sendfile_fallback} ({@code base_events}).
 */
final class TransportSendfile {
    /** Bytes read per step when copying. Mirrors the 16 KiB of {@code _sendfile_fallback}. */
    private static final int FALLBACK_BLOCK = 16 * 1024;

    private TransportSendfile() {
    }

    /** Raises at the call for a transport sendfile cannot use. */
    static SocketTransport check(WriteTransport transport) {
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (!(transport instanceof SocketTransport socketTransport)) {
            throw new IllegalStateException("sendfile is not supported for transport " + transport);
        }
        return socketTransport;
    }

    static long send(ReadinessEventLoop loop, SocketTransport transport, FileChannel file, long offset, Long count,
                     boolean fallback) throws IOException {
        try {
            return sendNatively(loop, transport, file, offset, count);
        } catch (SendfileNotAvailableError unavailable) {
            if (!fallback) {
                throw unavailable;
            }
        }
        return sendByWriting(loop, transport, file, offset, count);
    }

    private static long sendNatively(ReadinessEventLoop loop, SocketTransport transport, FileChannel file, long offset,
                                     Long count) throws IOException {
        boolean resumeReading = transport.isReading();
        transport.pauseReading();
        Future<Void> empty = transport.makeEmptyWaiter();
        try {
            empty.await();
            try (TransportWritable writable = new TransportWritable(loop, transport)) {
                return SocketSendfile.sendNatively(loop, transport.socket(), file, offset, count, writable);
            }
        } finally {
            transport.resetEmptyWaiter();
            if (resumeReading) {
                transport.resumeReading();
            }
        }
    }

    private static long sendByWriting(ReadinessEventLoop loop, SocketTransport transport, FileChannel file, long offset,
                                      Long count) throws IOException {
        int blocksize = count == null ? FALLBACK_BLOCK : (int) Math.min(count, FALLBACK_BLOCK);
        ByteBuffer buffer = ByteBuffer.allocate(blocksize);
        SendfileFallbackProtocol stand = new SendfileFallbackProtocol(loop, transport);
        stand.install();
        long total = 0;
        try {
            file.position(offset);
            while (count == null || total < count) {
                buffer.clear().limit(count == null ? blocksize : (int) Math.min(count - total, blocksize));
                int read = loop.runInExecutor(null, () -> file.read(buffer)).await();
                if (read <= 0) {
                    break;
                }
                transport.write(buffer.flip());
                stand.drain();
                total += read;
            }
            return total;
        } finally {
            if (total > 0) {
                file.position(offset + total);
            }
            stand.restore();
        }
    }
}

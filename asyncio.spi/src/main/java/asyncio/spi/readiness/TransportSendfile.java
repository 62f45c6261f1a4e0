package asyncio.spi.readiness;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.SendfileNotAvailableError;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteTransport;
import asyncio.spi.tls.SslTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sending a file over a stream transport: the kernel's sendfile on the transport's socket once
 * its write buffer is empty (writes are refused meanwhile), else writing what is read with flow
 * control. A TLS transport only ever takes the second way, as asyncio's {@code _SSLProtocolTransport}
 * ({@code _SendfileMode.FALLBACK}). Mirrors {@code loop.sendfile()} with {@code _sendfile_native}
 * ({@code selector_events}) and {@code _sendfile_fallback} ({@code base_events}). The completion
 * loops ({@code asyncio.spi.proactor}) send over TLS through it too.
 */
public final class TransportSendfile {
    /** Bytes read per step when copying. Mirrors the 16 KiB of {@code _sendfile_fallback}. */
    private static final int FALLBACK_BLOCK = 16 * 1024;

    private TransportSendfile() {
    }

    /** Raises at the call for a transport sendfile cannot use, as {@code loop.sendfile()} does before sending. */
    public static void check(WriteTransport transport, boolean fallback) {
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (transport instanceof SslTransport) {
            if (!fallback) {
                throw new IllegalStateException(
                        "fallback is disabled and native sendfile is not supported for transport " + transport);
            }
        } else if (!(transport instanceof SocketTransport)) {
            throw new IllegalStateException("sendfile is not supported for transport " + transport);
        }
    }

    static long send(ReadinessEventLoop loop, WriteTransport transport, FileChannel file, long offset, Long count,
                     boolean fallback) throws IOException {
        if (transport instanceof SslTransport tls) {
            return sendByWriting(loop, tls, tls.isProtocolPaused(), file, offset, count);
        }
        SocketTransport socketTransport = (SocketTransport) transport;
        try {
            return sendNatively(loop, socketTransport, file, offset, count);
        } catch (SendfileNotAvailableError unavailable) {
            if (!fallback) {
                throw unavailable;
            }
        }
        return sendByWriting(loop, socketTransport, socketTransport.isProtocolPaused(), file, offset, count);
    }

    /** Whether {@code transport} is a TLS transport, which only ever sends a file by writing it. */
    public static boolean isTls(WriteTransport transport) {
        return transport instanceof SslTransport;
    }

    /**
     * Sends the file over a TLS transport by writing what is read, with flow control; the caller
     * ran {@link #check} first. Mirrors {@code _sendfile_fallback} for {@code _SSLProtocolTransport}.
     */
    public static long sendOverTls(EventLoop loop, WriteTransport transport, FileChannel file, long offset, Long count)
            throws IOException {
        SslTransport tls = (SslTransport) transport;
        return sendByWriting(loop, tls, tls.isProtocolPaused(), file, offset, count);
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
            } catch (IOException failed) {
                // The kernel refused a write on the transport's socket (the peer reset or left):
                // the transport is done, as after any failed write, before the error reaches the caller.
                // Without this, isClosing() turned true only once a later read met the same error.
                transport.fatalError(failed, "Fatal write error on socket transport");
                throw failed;
            }
        } finally {
            transport.resetEmptyWaiter();
            if (resumeReading) {
                transport.resumeReading();
            }
        }
    }

    private static long sendByWriting(EventLoop loop, Transport transport, boolean protocolPaused,
                                      FileChannel file, long offset, Long count) throws IOException {
        int blocksize = count == null ? FALLBACK_BLOCK : (int) Math.min(count, FALLBACK_BLOCK);
        ByteBuffer buffer = ByteBuffer.allocate(blocksize);
        SendfileFallbackProtocol stand = new SendfileFallbackProtocol(loop, transport, protocolPaused);
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

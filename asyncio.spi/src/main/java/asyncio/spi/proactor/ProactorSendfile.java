package asyncio.spi.proactor;

import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.SendfileNotAvailableError;
import asyncio.api.transports.WriteTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * {@code sock_sendfile} and {@code sendfile} on a completion-based loop: the port's
 * {@code transmitFile} operation where the file has a descriptor and the port has one, otherwise
 * (if allowed) a copy through the JVM, read on the default executor. The file's position ends
 * after what was sent. Mirrors {@code _sock_sendfile_native} over {@code IocpProactor.sendfile}
 * and {@code _sendfile_fallback}.
 */
final class ProactorSendfile {
    /** Bytes read per step when copying. Mirrors {@code SENDFILE_FALLBACK_READBUFFER_SIZE}. */
    private static final int FALLBACK_BLOCK = 256 * 1024;
    /** The most one transmitFile asks for, so progress is reported and cancellable in steps. */
    private static final long TRANSMIT_STEP = 1 << 30;

    private ProactorSendfile() {
    }

    /** Raises at the call for what asyncio's {@code _check_sendfile_params} refuses. */
    static void checkParams(long offset, Long count) {
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("count must be a positive integer (got " + count + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
        }
    }

    /** Raises at the call for a transport sendfile cannot use. */
    static ProactorSocketTransport check(WriteTransport transport) {
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (!(transport instanceof ProactorSocketTransport socketTransport)) {
            throw new IllegalStateException("sendfile is not supported for transport " + transport);
        }
        return socketTransport;
    }

    /** Only the JDK's own file channels have a descriptor; any other is copied anyway. */
    private static boolean hasDescriptor(FileChannel file) {
        return file.getClass().getModule() == FileChannel.class.getModule();
    }

    static long sockSendfile(ProactorEventLoop loop, SocketChannel channel, FileChannel file, long offset, Long count,
                             boolean fallback) throws IOException {
        ProactorSocket socket = loop.adopt(channel);
        try {
            return transmit(loop, socket, file, offset, count);
        } catch (SendfileNotAvailableError unavailable) {
            if (!fallback) {
                throw unavailable;
            }
        }
        return copy(loop, file, offset, count, block -> sendAll(loop, socket, block));
    }

    static long sendfile(ProactorEventLoop loop, ProactorSocketTransport transport, FileChannel file, long offset,
                         Long count, boolean fallback) throws IOException {
        boolean resumeReading = transport.isReading();
        transport.pauseReading();
        transport.sendfileInProgress(true);
        try {
            transport.whenFlushed().await();
            try {
                if (transport.isNamedPipe()) {
                    // named pipes: TransmitFile wants a socket; CPython copies for a pipe transport too.
                    throw new SendfileNotAvailableError("a named pipe transport cannot use TransmitFile");
                }
                return transmit(loop, transport.socket(), file, offset, count);
            } catch (SendfileNotAvailableError unavailable) {
                if (!fallback) {
                    throw unavailable;
                }
            }
        } finally {
            transport.sendfileInProgress(false);
            if (resumeReading) {
                transport.resumeReading();
            }
        }
        return copy(loop, file, offset, count, block -> {
            transport.write(block);
            transport.whenFlushed().await();
        });
    }

    /** Sends with the port's transmitFile; raises SendfileNotAvailableError before sending anything if it cannot. */
    private static long transmit(ProactorEventLoop loop, ProactorSocket socket, FileChannel file, long offset,
                                 Long count) throws IOException {
        if (!hasDescriptor(file)) {
            throw new SendfileNotAvailableError("not a regular file");
        }
        long size = file.size();
        long end = count != null ? offset + count : size;
        long total = 0;
        try {
            while (offset + total < end) {
                long step = Math.min(end - offset - total, TRANSMIT_STEP);
                long sent = transmitOnce(loop, socket, file, offset + total, step);
                if (sent == 0) {
                    break;
                }
                total += sent;
            }
            return total;
        } finally {
            if (total > 0) {
                file.position(offset + total);
            }
        }
    }

    private static long transmitOnce(ProactorEventLoop loop, ProactorSocket socket, FileChannel file, long position,
                                      long count) {
        Future<Long> sent = loop.createFuture();
        Operation operation = loop.port().transmitFile(socket, file, position, count, new Completion<>() {
            @Override
            public void completed(Long result) {
                if (!sent.done()) {
                    sent.setResult(result);
                }
            }

            @Override
            public void failed(IOException error) {
                if (!sent.done()) {
                    sent.setException(error);
                }
            }

            @Override
            public void cancelled() {
                if (!sent.done()) {
                    sent.cancel();
                }
            }
        });
        try {
            return sent.await();
        } catch (CancelledError cancelled) {
            operation.cancel();
            throw cancelled;
        }
    }

    @FunctionalInterface
    private interface BlockSink {
        void send(ByteBuffer block) throws IOException;
    }

    private static long copy(ProactorEventLoop loop, FileChannel file, long offset, Long count, BlockSink sink)
            throws IOException {
        int blocksize = count == null ? FALLBACK_BLOCK : (int) Math.min(count, FALLBACK_BLOCK);
        ByteBuffer buffer = ByteBuffer.allocate(blocksize);
        long total = 0;
        try {
            file.position(offset);
            while (count == null || total < count) {
                buffer.clear().limit(count == null ? blocksize : (int) Math.min(count - total, blocksize));
                int read = loop.runInExecutor(null, () -> file.read(buffer)).await();
                if (read <= 0) {
                    break;
                }
                sink.send(buffer.flip());
                total += read;
            }
            return total;
        } finally {
            if (total > 0) {
                file.position(offset + total);
            }
        }
    }

    private static void sendAll(ProactorEventLoop loop, ProactorSocket socket, ByteBuffer block) {
        while (block.hasRemaining()) {
            Future<Integer> sent = loop.createFuture();
            Operation operation = loop.port().send(socket, block, new Completion<>() {
                @Override
                public void completed(Integer result) {
                    sent.setResult(result);
                }

                @Override
                public void failed(IOException error) {
                    sent.setException(error);
                }

                @Override
                public void cancelled() {
                    sent.cancel();
                }
            });
            try {
                sent.await();
            } catch (CancelledError cancelled) {
                operation.cancel();
                throw cancelled;
            }
        }
    }
}

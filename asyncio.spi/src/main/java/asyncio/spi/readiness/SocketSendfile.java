package asyncio.spi.readiness;

import asyncio.api.SendfileNotAvailableError;
import asyncio.spi.LoopSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Sending a file over a socket: the kernel's sendfile through {@link FileChannel#transferTo}
 * where the file has a descriptor, else reading it on the executor and sending what was read.
 * Mirrors {@code sock_sendfile} with {@code _sock_sendfile_native} ({@code unix_events}) and
 * {@code _sock_sendfile_fallback} ({@code base_events}).
 */
final class SocketSendfile {
    /** Bytes read per step when copying. Mirrors {@code SENDFILE_FALLBACK_READBUFFER_SIZE}. */
    private static final int FALLBACK_BLOCK = 256 * 1024;

    private SocketSendfile() {
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

    /**
     * Whether sendfile can read {@code file} straight from its descriptor: only the JDK's own file
     * channels have one; any other (a zip entry, an in-memory file) is copied through user space anyway.
     */
    static boolean hasDescriptor(FileChannel file) {
        return file.getClass().getModule() == FileChannel.class.getModule();
    }

    /** The body of {@code sock_sendfile}: natively, else (if allowed) by copying. */
    static long send(ReadinessEventLoop loop, SocketChannel channel, FileChannel file, long offset, Long count,
                     boolean fallback) throws IOException {
        try (ChannelWritable writable = new ChannelWritable(loop, channel)) {
            return sendNatively(loop, new ChannelSocket(channel, false), file, offset, count, writable);
        } catch (SendfileNotAvailableError unavailable) {
            if (!fallback) {
                throw unavailable;
            }
        }
        return sendByCopy(loop, channel, file, offset, count);
    }

    /**
     * Sends with the kernel's sendfile, waiting for writability between calls; the file's position
     * ends after what was sent. Raises {@link SendfileNotAvailableError} when the very first call
     * fails (so a fallback can still send everything).
     */
    static long sendNatively(ReadinessEventLoop loop, LoopSocket socket, FileChannel file, long offset, Long count,
                             WritableSignal writable) throws IOException {
        if (!hasDescriptor(file)) {
            throw new SendfileNotAvailableError("not a regular file");
        }
        long size;
        try {
            size = file.size();
        } catch (IOException failed) {
            throw new SendfileNotAvailableError("not a regular file", failed);
        }
        if ((count != null ? count : size) == 0) {
            return 0;
        }
        long total = 0;
        try {
            while (count == null || total < count) {
                long position = offset + total;
                long sent = transfer(loop, socket, file, position, count == null ? size : count - total, total);
                if (sent == 0 && position >= file.size()) {
                    break;
                }
                total += sent;
                writable.next().await();
            }
            return total;
        } finally {
            if (total > 0) {
                file.position(offset + total);
            }
        }
    }

    private static long transfer(ReadinessEventLoop loop, LoopSocket socket, FileChannel file, long position, long count,
                                 long sentSoFar) throws IOException {
        try {
            return loop.transferFile(file, position, count, socket);
        } catch (IOException failed) {
            if (sentSoFar == 0) {
                throw new SendfileNotAvailableError("os.sendfile call failed", failed);
            }
            throw failed;
        }
    }

    private static long sendByCopy(ReadinessEventLoop loop, SocketChannel channel, FileChannel file, long offset,
                                   Long count) throws IOException {
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
                SocketOperations.sendall(loop, channel, buffer.flip()).await();
                total += read;
            }
            return total;
        } finally {
            if (total > 0) {
                file.position(offset + total);
            }
        }
    }
}

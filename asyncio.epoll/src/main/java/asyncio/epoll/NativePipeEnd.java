package asyncio.epoll;

import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import asyncio.spi.process.PipeEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * The parent's end of a pipe to a child, a raw non-blocking descriptor from {@code pipe2}: the
 * epoll set watches it directly and the spi's pipe transports read and write it with
 * {@code read}/{@code write}. Heap buffers go through the loop's scratch buffer, since the kernel
 * needs an address that does not move. Used on the loop thread only.
 */
final class NativePipeEnd implements PlainDescriptor, PipeEnd {
    private final LibC libc;
    private final ByteBuffer scratch;
    private final long scratchAddress;
    private int fd;
    /** The address of the last direct buffer seen: the loop reads into the same buffer every time. */
    private ByteBuffer lastDirect;
    private long lastAddress;
    private final boolean reportsReaderGone;

    NativePipeEnd(LibC libc, int fd, ByteBuffer scratch, long scratchAddress) {
        this(libc, fd, scratch, scratchAddress, true);
    }

    /**
     * {@code reportsReaderGone}: whether a write end watched for reading wakes only when its reader
     * goes away, true of a pipe or socket; a terminal (a pty) is readable when its peer writes.
     */
    NativePipeEnd(LibC libc, int fd, ByteBuffer scratch, long scratchAddress, boolean reportsReaderGone) {
        this.libc = libc;
        this.fd = fd;
        this.scratch = scratch;
        this.scratchAddress = scratchAddress;
        this.reportsReaderGone = reportsReaderGone;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        checkOpen();
        int wanted = target.remaining();
        if (wanted == 0) {
            return 0;
        }
        boolean direct = target.isDirect();
        int count = direct ? wanted : Math.min(wanted, scratch.capacity());
        long address = direct ? addressOf(target) + target.position() : scratchAddress;
        long read;
        do {
            read = libc.read(fd, address, count);
        } while (read < 0 && Native.errno() == Native.EINTR);
        if (read > 0) {
            if (!direct) {
                target.put(scratch.duplicate().limit((int) read).position(0));
            } else {
                target.position(target.position() + (int) read);
            }
            return (int) read;
        }
        if (read == 0) {
            return -1;
        }
        return failed("read");
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        checkOpen();
        int available = source.remaining();
        if (available == 0) {
            return 0;
        }
        boolean direct = source.isDirect();
        int count = direct ? available : Math.min(available, scratch.capacity());
        long address;
        if (direct) {
            address = addressOf(source) + source.position();
        } else {
            scratch.clear();
            scratch.put(source.duplicate().limit(source.position() + count));
            address = scratchAddress;
        }
        long written;
        do {
            written = libc.write(fd, address, count);
        } while (written < 0 && Native.errno() == Native.EINTR);
        if (written >= 0) {
            source.position(source.position() + (int) written);
            return (int) written;
        }
        return failed("write");
    }

    /** EAGAIN: nothing now (0); anything else is the pipe's end, with the system's words ("Broken pipe"). */
    private int failed(String call) throws IOException {
        int errno = Native.errno();
        if (errno == Native.EAGAIN) {
            return 0;
        }
        if (errno == Native.EBADF) {
            throw new ClosedChannelException();
        }
        throw new IOException(libc.strerror(errno));
    }

    private long addressOf(ByteBuffer direct) {
        if (direct != lastDirect) {
            lastAddress = Native.address(direct);
            lastDirect = direct;
        }
        return lastAddress;
    }

    private void checkOpen() throws ClosedChannelException {
        if (fd < 0) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean reportsReaderGone() {
        // A write end in an epoll set watching EPOLLIN gets EPOLLERR once no reader is left.
        return reportsReaderGone;
    }

    @Override
    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
            lastDirect = null;
        }
    }

    @Override
    public Object channel() {
        return this;
    }

    @Override
    public String toString() {
        return "<pipe fd=" + fd + ">";
    }
}

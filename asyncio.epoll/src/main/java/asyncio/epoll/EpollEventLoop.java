package asyncio.epoll;

import asyncio.api.subprocess.SubprocessOptions;
import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import asyncio.spi.DatagramSocket;
import asyncio.spi.ListeningSocket;
import asyncio.spi.LoopSocket;
import asyncio.spi.StreamSocket;
import asyncio.spi.process.PipeEnd;
import asyncio.spi.process.SpawnedProcess;
import asyncio.spi.readiness.Readiness;
import asyncio.spi.readiness.ReadinessEventLoop;
import asyncio.spi.readiness.ReadyListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

/**
 * The Linux loop: one {@code epoll} set, level-triggered, woken by an {@code eventfd}. Its own
 * sockets are raw non-blocking descriptors ({@link NativeStreamSocket} and friends); channels an
 * application hands in keep doing their own I/O while epoll watches their descriptor.
 */
public class EpollEventLoop extends ReadinessEventLoop {
    static final int READ = 1;
    static final int WRITE = 2;
    private static final int MAX_EVENTS = 1024;
    /** Event data of the wake-up eventfd; registrations use (generation << 32 | fd) with generation >= 1. */
    private static final long WAKEUP_TOKEN = 0;

    private final LibC libc = Native.libc();
    private final int epollFd;
    private final int wakeupFd;
    private final ByteBuffer events = Native.allocate(MAX_EVENTS * Native.EPOLL_EVENT_SIZE);
    private final long eventsAddress = Native.address(events);
    /** One epoll_event for epoll_ctl, and 8 bytes for the eventfd counter; loop thread only. */
    private final ByteBuffer control = Native.allocate(Native.EPOLL_EVENT_SIZE);
    private final long controlAddress = Native.address(control);
    private final ByteBuffer counter = Native.allocate(8);
    private final long counterAddress = Native.address(counter);
    /** Wake-ups come from any thread, so they write from their own buffer. */
    private final ByteBuffer one = Native.allocate(8).putLong(0, 1);
    private final long oneAddress = Native.address(one);
    private final NativeIo io = new NativeIo();
    private final Object wakeupLock = new Object();
    private boolean wakeupClosed;

    /** Registrations indexed by descriptor: descriptors are small, dense integers. */
    private EpollRegistration[] registrations = new EpollRegistration[256];
    private int nextGeneration = 1;
    private EpollRegistration[] dirty = new EpollRegistration[64];
    private int dirtyCount;
    /** Registrations watching something: with none, a zero-timeout poll has nothing to learn. */
    private int watching;
    private EpollRegistration[] ready = new EpollRegistration[64];
    private int[] readyEvents = new int[64];
    private int readyCount;
    /** Made at the first subprocess: most loops never start one. */
    private ChildSpawner spawner;

    /** A new loop with its own epoll set and wake-up descriptor. */
    public EpollEventLoop() {
        epollFd = libc.epoll_create1(Native.EPOLL_CLOEXEC);
        if (epollFd < 0) {
            throw new UncheckedIOException(Errors.exception(Native.errno(), "epoll_create1"));
        }
        wakeupFd = libc.eventfd(0, Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (wakeupFd < 0 || !add(wakeupFd, Native.EPOLLIN, WAKEUP_TOKEN)) {
            IOException failed = Errors.exception(Native.errno(), wakeupFd < 0 ? "eventfd" : "epoll_ctl");
            libc.close(epollFd);
            if (wakeupFd >= 0) {
                libc.close(wakeupFd);
            }
            throw new UncheckedIOException(failed);
        }
    }

    @Override
    public String implementationName() {
        return "epoll";
    }

    // --- waiting ---

    @Override
    protected void poll(long timeoutNanos) {
        flushInterest();
        if (timeoutNanos == 0 && watching == 0) {
            // Nothing can be ready but the wake-up eventfd, and a pending wake-up only asks for
            // an iteration, which is happening: skip the syscall. A later blocking poll still
            // sees the eventfd and drains it.
            return;
        }
        int count = libc.epoll_wait(epollFd, eventsAddress, MAX_EVENTS, toMillis(timeoutNanos));
        if (count < 0) {
            int errno = Native.errno();
            if (errno == Native.EINTR) {
                return;  // a signal arrived: the loop iterates and polls again
            }
            throw new UncheckedIOException(Errors.exception(errno, "epoll_wait"));
        }
        for (int i = 0; i < count; i++) {
            int offset = i * Native.EPOLL_EVENT_SIZE;
            int bits = events.getInt(offset);
            long token = events.getLong(offset + Native.EPOLL_EVENT_DATA_OFFSET);
            if (token == WAKEUP_TOKEN) {
                drainWakeups();
            } else {
                collect(token, bits);
            }
        }
    }

    /** Rounds up (a timer must not wake the loop early); 0 stays 0, negative waits forever. */
    private static int toMillis(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return timeoutNanos == 0 ? 0 : -1;
        }
        long millis = timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    private void collect(long token, int bits) {
        int fd = (int) token;
        EpollRegistration registration = fd < registrations.length ? registrations[fd] : null;
        if (registration == null || registration.generation != (int) (token >>> 32)) {
            return;  // the descriptor was unregistered (and maybe reused) since the event was queued
        }
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, readyCount * 2);
            readyEvents = Arrays.copyOf(readyEvents, readyCount * 2);
        }
        ready[readyCount] = registration;
        readyEvents[readyCount] = bits;
        readyCount++;
    }

    private void drainWakeups() {
        // Resets the counter; EAGAIN (already drained) is fine.
        libc.read(wakeupFd, counterAddress, 8);
    }

    @Override
    protected void processEvents() {
        int count = readyCount;
        readyCount = 0;
        for (int i = 0; i < count; i++) {
            EpollRegistration registration = ready[i];
            int bits = readyEvents[i];
            ready[i] = null;
            // An error or hang-up is news for whichever side is watched: the read side sees EOF or
            // the error, a pending connect learns its outcome through writability.
            boolean failed = (bits & (Native.EPOLLERR | Native.EPOLLHUP)) != 0;
            boolean readable = failed || (bits & (Native.EPOLLIN | Native.EPOLLRDHUP)) != 0;
            boolean writable = failed || (bits & Native.EPOLLOUT) != 0;
            fire(registration, registration.listener, readable, writable);
        }
    }

    @Override
    protected void wakeup() {
        // Called from any thread; BaseEventLoop coalesces bursts into one call. The lock keeps a
        // wake-up racing with close() from writing into a closed, maybe already reused, descriptor.
        synchronized (wakeupLock) {
            if (!wakeupClosed) {
                libc.write(wakeupFd, oneAddress, 8);
            }
        }
    }

    @Override
    protected void closeResources() {
        Arrays.fill(registrations, null);
        synchronized (wakeupLock) {
            wakeupClosed = true;
            libc.close(wakeupFd);
        }
        libc.close(epollFd);
        io.close();
    }

    // --- registrations ---

    @Override
    protected Readiness register(LoopSocket socket, ReadyListener listener) throws IOException {
        int fd = descriptorOf(socket);
        if (fd < 0) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (fd >= registrations.length) {
            registrations = Arrays.copyOf(registrations, Math.max(fd + 1, registrations.length * 2));
        }
        EpollRegistration previous = registrations[fd];
        if (previous != null && previous.supersede() != 0) {
            // Out of the set at once: the fd may even be a new one with the old number (the old
            // descriptor closed without cancelling), whose kernel state nothing here knows.
            delete(fd);
        }
        int generation = nextGeneration++;
        if (nextGeneration == Integer.MAX_VALUE) {
            nextGeneration = 1;
        }
        EpollRegistration registration = new EpollRegistration(this, fd, generation, listener);
        registrations[fd] = registration;
        return registration;
    }

    private static int descriptorOf(LoopSocket socket) {
        if (socket instanceof NativeSocket nativeSocket) {
            return nativeSocket.fd();
        }
        if (socket.channel() instanceof SelectableChannel channel) {
            return channel.isOpen() ? ChannelDescriptors.fdOf(channel) : -1;
        }
        throw new IllegalArgumentException("the epoll loop watches descriptors and NIO channels, got " + socket.channel());
    }

    /** Queues {@code registration}'s interest for the kernel at the next {@link #flushInterest()}. */
    void markDirty(EpollRegistration registration) {
        registration.dirty = true;
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = registration;
    }

    /** Gives the kernel the net interest changes since the last wait: one epoll_ctl per changed fd at most. */
    private void flushInterest() {
        int count = dirtyCount;
        dirtyCount = 0;
        for (int i = 0; i < count; i++) {
            EpollRegistration registration = dirty[i];
            dirty[i] = null;
            registration.dirty = false;
            if (!registration.isCancelled() && registration.wanted() != registration.kernelInterest) {
                flushOne(registration);
            }
        }
    }

    /** Puts {@code interest} for {@code registration}'s fd into the kernel's set; returns what the set holds now. */
    private int control(EpollRegistration registration, int interest, boolean inKernel) {
        if (interest == 0) {
            delete(registration.fd);
            return 0;
        }
        int bits = (interest & READ) != 0 ? Native.EPOLLIN | Native.EPOLLRDHUP : 0;
        bits |= (interest & WRITE) != 0 ? Native.EPOLLOUT : 0;
        long token = (long) registration.generation << 32 | registration.fd;
        if (inKernel ? modify(registration.fd, bits, token) : add(registration.fd, bits, token)) {
            return interest;
        }
        int errno = Native.errno();
        // The fd's set entry may be gone (the application closed its channel: the kernel drops the
        // entry with the last reference) or be there already (an earlier registration left it).
        boolean retried = errno == Native.ENOENT ? add(registration.fd, bits, token)
                : errno == Native.EEXIST && modify(registration.fd, bits, token);
        if (!retried) {
            throw new UncheckedIOException(Errors.exception(Native.errno(), "epoll_ctl on fd " + registration.fd));
        }
        return interest;
    }

    /** Adds a registration's first interest at once, so that a descriptor epoll refuses fails at the call. */
    int addNow(EpollRegistration registration, int interest) {
        return control(registration, interest, false);
    }

    private void flushOne(EpollRegistration registration) {
        try {
            registration.kernelInterest = control(registration, registration.wanted(), registration.kernelInterest != 0);
        } catch (UncheckedIOException failed) {
            // Only a change of an fd already in the set gets here: one closed under the loop. The
            // listener hears nothing more; the failure goes to the exception handler.
            registration.kernelInterest = 0;
            java.util.Map<String, Object> context = new java.util.LinkedHashMap<>();
            context.put("message", "cannot update the epoll interest of fd " + registration.fd);
            context.put("exception", failed.getCause());
            context.put("listener", registration.listener);
            callExceptionHandler(context);
        }
    }

    /** A registration's interest changed from {@code before} to {@code after}: keeps {@link #watching} exact. */
    void watchingChanged(int before, int after) {
        if (before == 0 && after != 0) {
            watching++;
        } else if (before != 0 && after == 0) {
            watching--;
        }
    }

    void unregister(EpollRegistration registration, boolean inKernel) {
        if (registration.fd < registrations.length && registrations[registration.fd] == registration) {
            registrations[registration.fd] = null;
        }
        if (inKernel) {
            delete(registration.fd);
        }
    }

    private boolean add(int fd, int bits, long token) {
        return ctl(Native.EPOLL_CTL_ADD, fd, bits, token);
    }

    private boolean modify(int fd, int bits, long token) {
        return ctl(Native.EPOLL_CTL_MOD, fd, bits, token);
    }

    private void delete(int fd) {
        // ENOENT/EBADF: the descriptor was closed first, which removed it from the set already.
        libc.epoll_ctl(epollFd, Native.EPOLL_CTL_DEL, fd, controlAddress);
    }

    private boolean ctl(int op, int fd, int bits, long token) {
        control.putInt(0, bits);
        control.putLong(Native.EPOLL_EVENT_DATA_OFFSET, token);
        return libc.epoll_ctl(epollFd, op, fd, controlAddress) == 0;
    }

    @Override
    protected ReadyListener registeredListener(SelectableChannel channel) {
        if (!channel.isOpen() || !ChannelDescriptors.available()) {
            return null;
        }
        int fd = ChannelDescriptors.fdOf(channel);
        EpollRegistration registration = fd < registrations.length ? registrations[fd] : null;
        return registration == null || registration.isCancelled() ? null : registration.listener;
    }

    @Override
    protected ReadyListener registeredListener(int fd) {
        EpollRegistration registration = fd >= 0 && fd < registrations.length ? registrations[fd] : null;
        return registration == null || registration.isCancelled() ? null : registration.listener;
    }

    @Override
    protected LoopSocket watchedDescriptor(int fd) throws IOException {
        return WatchedDescriptor.of(fd);
    }

    // --- sockets ---

    @Override
    protected StreamSocket openStreamSocket(ProtocolFamily family) throws IOException {
        return NativeStreamSocket.open(io, family);
    }

    @Override
    protected ListeningSocket openListeningSocket(ProtocolFamily family) throws IOException {
        return NativeListeningSocket.open(io, family);
    }

    @Override
    protected boolean hasUnixDatagrams() {
        return true;
    }

    @Override
    protected DatagramSocket openDatagramSocket(ProtocolFamily family) throws IOException {
        return NativeDatagramSocket.open(io, family);
    }

    /** epoll reports EPOLLERR on a pipe's write end watched for EPOLLIN once its reader is gone. */
    @Override
    protected boolean watchesPipeWriteEnds() {
        return true;
    }

    // --- child processes ---

    /** A child started with ProcessBuilder (where posix_spawn cannot serve) gets any signal through kill(2) too. */
    @Override
    protected boolean killProcess(long pid, int signal) {
        if (libc.kill(Math.toIntExact(pid), signal) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Native.ESRCH) {
            throw new asyncio.api.subprocess.ProcessLookupError("the process " + pid + " is gone");
        }
        if (errno == Native.EINVAL) {
            throw new IllegalArgumentException("invalid signal number " + signal);
        }
        throw new UncheckedIOException(Errors.exception(errno, "kill(" + pid + ", " + signal + ")"));
    }

    /** posix_spawn and a pidfd in this epoll set: no thread per child (null: the ProcessBuilder path). */
    @Override
    protected SpawnedProcess spawnProcess(List<String> args, SubprocessOptions options) throws IOException {
        if (spawner == null) {
            spawner = new ChildSpawner(libc);
        }
        return spawner.spawn(args, options);
    }

    /**
     * A descriptor native code opened (a pty's master, a pipe, a FIFO), made non-blocking as
     * asyncio's pipe transports make theirs. Like them it must be a pipe, socket or character
     * device. Only a pipe or socket reports its reader's going away on a write end watched for
     * reading (a terminal is readable when its peer writes). The type comes from stat of
     * {@code /proc/self/fd/N}, which needs no fstat binding.
     */
    @Override
    protected PipeEnd adoptPipeEnd(int fd) throws IOException {
        int flags = libc.fcntl(fd, Native.F_GETFL, 0);
        if (flags < 0) {
            throw new IOException(libc.strerror(Native.errno()));
        }
        int type = (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self/fd/" + fd), "unix:mode")
                & S_IFMT;
        if (type != S_IFIFO && type != S_IFSOCK && type != S_IFCHR) {
            throw new IOException("Pipe transport is for pipes/sockets only.");
        }
        if ((flags & Native.O_NONBLOCK) == 0 && libc.fcntl(fd, Native.F_SETFL, flags | Native.O_NONBLOCK) < 0) {
            throw new IOException(libc.strerror(Native.errno()));
        }
        boolean pipeOrSocket = type != S_IFCHR;
        if (rawPipeScratch == null) {
            rawPipeScratch = Native.allocate(RAW_PIPE_SCRATCH);
        }
        return new NativePipeEnd(libc, fd, rawPipeScratch, Native.address(rawPipeScratch), pipeOrSocket);
    }

    /** Raw pipe ends copy heap buffers through this (the kernel needs an address that does not move); loop thread only. */
    private static final int RAW_PIPE_SCRATCH = 64 * 1024;
    /** The file-type bits of st_mode. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFSOCK = 0140000;
    private ByteBuffer rawPipeScratch;

    /** Bytes loop.sendfile sent with sendfile(2) from the file's descriptor, and bytes it copied through user space. */
    private long sendfileBytesZeroCopy;
    private long sendfileBytesCopied;
    /** Off only in tests, to take the copying path the loop takes without {@code --add-opens}. */
    boolean zeroCopySendfile = true;

    /**
     * sendfile(2) from the file's descriptor to the socket. An application's {@code SocketChannel}
     * gets it from the JDK; the loop's own sockets from {@link NativeStreamSocket#sendfile}, when
     * the JDK lets this module read the file's descriptor, else the JDK copies through a buffer.
     */
    @Override
    protected long transferFile(FileChannel file, long position, long count, LoopSocket socket) throws IOException {
        if (socket.channel() instanceof SocketChannel target) {
            return file.transferTo(position, count, target);
        }
        NativeStreamSocket nativeSocket = (NativeStreamSocket) socket;
        int fileFd = zeroCopySendfile ? FileChannelDescriptors.fdOf(file) : -1;
        if (fileFd >= 0) {
            long sent = nativeSocket.sendfile(fileFd, position, count);
            sendfileBytesZeroCopy += sent;
            return sent;
        }
        long copied = file.transferTo(position, count, new NativeWritableChannel(nativeSocket));
        sendfileBytesCopied += copied;
        return copied;
    }

    long sendfileBytesZeroCopy() {
        return sendfileBytesZeroCopy;
    }

    long sendfileBytesCopied() {
        return sendfileBytesCopied;
    }
}

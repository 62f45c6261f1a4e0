package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import asyncio.windows.ffi.Offsets;
import asyncio.windows.ffi.Win32;
import com.kenai.jffi.MemoryIO;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A scripted Winsock and completion port in Java, enough for one loopback TCP connection: it lets
 * the IOCP port run on Linux so {@link CallSequenceTest} can record the calls it makes. It writes
 * completions into the caller's native memory as Windows does (OVERLAPPED.Internal and
 * InternalHigh, OVERLAPPED_ENTRY array), completes AcceptEx before ConnectEx and a send before the
 * receive it feeds (the order the C harness handles them in), and enforces the rules the real
 * kernel punishes silently: an OVERLAPPED is zeroed before each call and never reused while its
 * operation is in flight; sockets are associated with the port before any operation; ConnectEx
 * needs a bound socket; AcceptEx a fresh one.
 */
final class FakeWinsock implements Win32 {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    static final long ACCEPT_EX = 0xACCE;
    static final long CONNECT_EX = 0xC0CC;
    /** NTSTATUS of a truncated datagram (WSAEMSGSIZE). */
    private static final int STATUS_BUFFER_OVERFLOW = 0x80000005;
    private static final int STATUS_CONNECTION_REFUSED = 0xC0000236;
    private static final int STATUS_PIPE_BROKEN = 0xC000014B;

    private final class Sock {
        final long handle;
        boolean associated;
        int localPort;
        boolean listening;
        boolean connected;
        Sock peer;
        final ArrayDeque<long[]> accepts = new ArrayDeque<>(); // {overlapped, accept socket}
        long recvOverlapped;
        long recvBuffer;
        int recvLength;
        final ByteArrayOutputStream inbound = new ByteArrayOutputStream();
        boolean datagram;
        boolean peerClosed;
        /** A datagram socket's pending WSARecvFrom: where the sender's address and its length go. */
        long recvFrom;
        long recvFromLength;
        final ArrayDeque<Object[]> datagrams = new ArrayDeque<>(); // {byte[] data, Integer sender port}
        /** processes: an end of a named pipe, whose EOF is ERROR_BROKEN_PIPE rather than a clean 0-byte read. */
        boolean namedPipe;

        Sock(long handle) {
            this.handle = handle;
        }
    }

    private final Map<Long, Sock> sockets = new HashMap<>();
    private final ArrayDeque<long[]> queue = new ArrayDeque<>(); // {key, overlapped, bytes}
    private final Set<Long> inFlight = new HashSet<>();
    private long nextHandle = 0x100;
    private long port;
    private int nextPort = 50_000;
    private int lastError;

    private Sock sock(long handle) {
        Sock sock = sockets.get(handle);
        if (sock == null) {
            throw new AssertionError("not an open socket: " + handle);
        }
        return sock;
    }

    private int fail(int error) {
        lastError = error;
        return SOCKET_ERROR;
    }

    private int pending() {
        lastError = WSA_IO_PENDING;
        return SOCKET_ERROR;
    }

    /** The checks the kernel makes no noise about; the operation is in flight from here. */
    private void submitted(Sock sock, long overlapped) {
        if (!sock.associated) {
            throw new AssertionError("an operation on a socket not associated with the port");
        }
        for (int i = 0; i < Offsets.OVERLAPPED_SIZE; i += 8) {
            if (MEMORY.getLong(overlapped + i) != 0) {
                throw new AssertionError("an OVERLAPPED not zeroed before its call");
            }
        }
        if (!inFlight.add(overlapped)) {
            throw new AssertionError("an OVERLAPPED reused while its operation is in flight");
        }
        MEMORY.putLong(overlapped + Offsets.OVERLAPPED_INTERNAL, STATUS_PENDING);
    }

    private synchronized void complete(long overlapped, int bytes, int status) {
        if (!inFlight.remove(overlapped)) {
            throw new AssertionError("a completion for an operation not in flight");
        }
        MEMORY.putLong(overlapped + Offsets.OVERLAPPED_INTERNAL, status);
        MEMORY.putLong(overlapped + Offsets.OVERLAPPED_INTERNAL_HIGH, bytes);
        queue.add(new long[] {IocpCompletionPort.OPERATION_KEY, overlapped, bytes});
    }

    @Override
    public long CreateIoCompletionPort(long file, long existingPort, long completionKey, int concurrentThreads) {
        if (file == INVALID_HANDLE_VALUE) {
            port = nextHandle += 4;
            return port;
        }
        if (existingPort != port) {
            throw new AssertionError("associated with another port");
        }
        sock(file).associated = true;
        return port;
    }

    @Override
    public synchronized int GetQueuedCompletionStatusEx(long port, long entries, int count, long removed,
                                                        int milliseconds, int alertable) {
        awaitPost(milliseconds);
        int n = Math.min(count, queue.size());
        for (int i = 0; i < n; i++) {
            long[] entry = queue.poll();
            long at = entries + (long) i * Offsets.ENTRY_SIZE;
            MEMORY.putLong(at + Offsets.ENTRY_KEY, entry[0]);
            MEMORY.putLong(at + Offsets.ENTRY_OVERLAPPED, entry[1]);
            MEMORY.putLong(at + 16, 0L);
            MEMORY.putInt(at + Offsets.ENTRY_BYTES, (int) entry[2]);
        }
        MEMORY.putInt(removed, n);
        if (n == 0) {
            lastError = WAIT_TIMEOUT;
            return 0;
        }
        return 1;
    }

    @Override
    public synchronized int PostQueuedCompletionStatus(long port, int bytes, long completionKey, long overlapped) {
        queue.add(new long[] {completionKey, overlapped, bytes});
        notifyAll();
        return 1;
    }

    // --- waits for posts from other threads (the readiness helper's; h-win-io) ---

    /** Off by default: the scripts are single-threaded and an empty queue answers WAIT_TIMEOUT at once. */
    private volatile boolean waitsForPosts;

    /** Makes GetQueuedCompletionStatusEx wait (up to its timeout, at most 30 s) for a post when nothing is queued. */
    FakeWinsock waitingForPosts() {
        waitsForPosts = true;
        return this;
    }

    private void awaitPost(int milliseconds) {
        if (!waitsForPosts || milliseconds == 0) {
            return;
        }
        long limit = milliseconds == INFINITE ? 30_000 : Math.min(milliseconds, 30_000);
        long deadline = System.nanoTime() + limit * 1_000_000L;
        try {
            while (queue.isEmpty()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // --- end of waits for posts ---

    // --- TransmitFile (sendfile; h-win-io): FakeTransmitFile sends the file's bytes through here ---

    static final long TRANSMIT_FILE = 0x7F11E;

    /**
     * TransmitFile of {@code data} on a connected socket, in flight until its completion is
     * removed: the OVERLAPPED's Offset/OffsetHigh are the only words set before the call (the
     * file position), everything else must be zero as for any other call.
     */
    synchronized int transmit(long socket, long overlapped, byte[] data) {
        Sock sock = sock(socket);
        if (sock.peer == null || !sock.connected) {
            return fail(WSAENOTCONN);
        }
        if (MEMORY.getLong(overlapped) != 0 || MEMORY.getLong(overlapped + 8) != 0 || MEMORY.getLong(overlapped + 24) != 0) {
            throw new AssertionError("a TransmitFile OVERLAPPED with more than its file offset set");
        }
        long offset = MEMORY.getLong(overlapped + 16);
        MEMORY.putLong(overlapped + 16, 0L);
        submitted(sock, overlapped);
        MEMORY.putLong(overlapped + 16, offset);
        complete(overlapped, data.length, STATUS_SUCCESS);
        sock.peer.inbound.writeBytes(data);
        deliver(sock.peer);
        return pending();
    }

    int lastErrorOfTransmit() {
        return lastError;
    }

    // --- end of TransmitFile ---

    @Override
    public int CancelIoEx(long handle, long overlapped) {
        Sock sock = sock(handle);
        if (sock.recvOverlapped == overlapped && overlapped != 0) {
            sock.recvOverlapped = 0;
            complete(overlapped, 0, STATUS_CANCELLED);
            return 1;
        }
        lastError = ERROR_NOT_FOUND;
        return 0;
    }

    @Override
    public int CloseHandle(long handle) {
        if (handle != port) {
            throw new AssertionError("CloseHandle of something else than the port");
        }
        if (!inFlight.isEmpty()) {
            throw new AssertionError("the port closed with operations in flight");
        }
        return 1;
    }

    @Override
    public int SetFileCompletionNotificationModes(long handle, byte flags) {
        sock(handle);
        return 1;
    }

    /**
     * A connected pair standing for the JDK's pipe on Windows (two sockets), as the JDK makes it:
     * not through this interface, so the port's trace does not show it. Returns {source, sink}.
     */
    long[] pipe() {
        Sock source = new Sock(nextHandle += 4);
        Sock sink = new Sock(nextHandle += 4);
        source.peer = sink;
        sink.peer = source;
        source.connected = sink.connected = true;
        sockets.put(source.handle, source);
        sockets.put(sink.handle, sink);
        return new long[] {source.handle, sink.handle};
    }

    /** The JDK closes a pipe end: its peer's pending or next read sees EOF. */
    void closePipeEnd(long handle) {
        Sock sock = sock(handle);
        sockets.remove(handle);
        if (sock.peer != null) {
            sock.peer.peerClosed = true;
            deliver(sock.peer);
        }
    }

    @Override
    public int ReadFile(long file, long buffer, int length, long read, long overlapped) {
        Sock sock = sock(file);
        if (sock.recvOverlapped != 0) {
            lastError = WSAEINVAL;
            return 0;
        }
        submitted(sock, overlapped);
        sock.recvOverlapped = overlapped;
        sock.recvBuffer = buffer;
        sock.recvLength = length;
        deliver(sock);
        lastError = ERROR_IO_PENDING;
        return 0;
    }

    @Override
    public int WriteFile(long file, long buffer, int length, long written, long overlapped) {
        Sock sock = sock(file);
        submitted(sock, overlapped);
        byte[] data = new byte[length];
        MEMORY.getByteArray(buffer, data, 0, length);
        complete(overlapped, length, STATUS_SUCCESS);
        sock.peer.inbound.writeBytes(data);
        deliver(sock.peer);
        lastError = ERROR_IO_PENDING;
        return 0;
    }

    @Override
    public int GetOverlappedResult(long file, long overlapped, long transferred, int wait) {
        return WSAGetOverlappedResult(file, overlapped, transferred, wait, 0);
    }

    @Override
    public int WSAStartup(short version, long data) {
        return version == WINSOCK_VERSION_2_2 ? 0 : WSAEINVAL;
    }

    @Override
    public long WSASocketW(int family, int type, int protocol, long protocolInfo, int group, int flags) {
        if (family != AF_INET || (flags & WSA_FLAG_OVERLAPPED) == 0
                || !(type == SOCK_STREAM && protocol == IPPROTO_TCP || type == SOCK_DGRAM && protocol == IPPROTO_UDP)) {
            throw new AssertionError("this script has overlapped IPv4 TCP and UDP sockets only");
        }
        long handle = nextHandle += 4;
        Sock sock = new Sock(handle);
        sock.datagram = type == SOCK_DGRAM;
        sockets.put(handle, sock);
        return handle;
    }

    @Override
    public int closesocket(long socket) {
        Sock sock = sock(socket);
        sockets.remove(socket);
        if (sock.recvOverlapped != 0) {
            complete(sock.recvOverlapped, 0, STATUS_CANCELLED);
        }
        for (long[] accept : sock.accepts) {
            complete(accept[0], 0, STATUS_CANCELLED);
        }
        return 0;
    }

    @Override
    public int bind(long socket, long name, int nameLength) {
        Sock sock = sock(socket);
        if (MEMORY.getShort(name) != AF_INET || nameLength != Offsets.SOCKADDR_IN_SIZE) {
            return fail(WSAEINVAL);
        }
        int asked = ((MEMORY.getByte(name + 2) & 0xff) << 8) | (MEMORY.getByte(name + 3) & 0xff);
        sock.localPort = asked != 0 ? asked : nextPort++;
        return 0;
    }

    @Override
    public int listen(long socket, int backlog) {
        Sock sock = sock(socket);
        if (sock.localPort == 0) {
            return fail(WSAEINVAL);
        }
        sock.listening = true;
        return 0;
    }

    @Override
    public int connect(long socket, long name, int nameLength) {
        throw new AssertionError("no datagrams in this script");
    }

    @Override
    public int getsockname(long socket, long name, long nameLength) {
        Sock sock = sock(socket);
        if (sock.localPort == 0) {
            return fail(WSAEINVAL);
        }
        writeAddress(name, nameLength, sock.localPort);
        return 0;
    }

    @Override
    public int getpeername(long socket, long name, long nameLength) {
        Sock sock = sock(socket);
        if (sock.peer == null || !sock.connected) {
            return fail(WSAENOTCONN);
        }
        writeAddress(name, nameLength, sock.peer.localPort);
        return 0;
    }

    private static void writeAddress(long name, long nameLength, int port) {
        for (int i = 0; i < Offsets.SOCKADDR_IN_SIZE; i++) {
            MEMORY.putByte(name + i, (byte) 0);
        }
        MEMORY.putShort(name, (short) AF_INET);
        MEMORY.putByte(name + 2, (byte) (port >>> 8));
        MEMORY.putByte(name + 3, (byte) port);
        MEMORY.putInt(name + 4, 0x0100007f); // 127.0.0.1 in network order
        MEMORY.putInt(nameLength, Offsets.SOCKADDR_IN_SIZE);
    }

    @Override
    public int setsockopt(long socket, int level, int name, long value, int length) {
        Sock sock = sock(socket);
        if (level == SOL_SOCKET && name == SO_UPDATE_ACCEPT_CONTEXT) {
            Sock listener = sockets.get(MEMORY.getLong(value));
            if (length != 8 || listener == null || !listener.listening) {
                return fail(WSAEINVAL);
            }
            sock.connected = true;
        } else if (level == SOL_SOCKET && name == SO_UPDATE_CONNECT_CONTEXT) {
            sock.connected = true;
        }
        return 0;
    }

    @Override
    public int getsockopt(long socket, int level, int name, long value, long length) {
        return fail(WSAEINVAL);
    }

    @Override
    public int shutdown(long socket, int how) {
        return 0;
    }

    @Override
    public int WSAIoctl(long socket, int code, long in, int inLength, long out, int outLength, long returned,
                        long overlapped, long completionRoutine) {
        sock(socket);
        if (code != SIO_GET_EXTENSION_FUNCTION_POINTER || inLength != Offsets.GUID_SIZE || outLength != 8) {
            return fail(WSAEINVAL);
        }
        byte[] guid = new byte[16];
        MEMORY.getByteArray(in, guid, 0, 16);
        long function = java.util.Arrays.equals(guid, Offsets.WSAID_ACCEPTEX) ? ACCEPT_EX
                : java.util.Arrays.equals(guid, Offsets.WSAID_CONNECTEX) ? CONNECT_EX
                : java.util.Arrays.equals(guid, asyncio.windows.ffi.Win32TransmitFile.WSAID_TRANSMITFILE) ? TRANSMIT_FILE
                : 0;
        if (function == 0) {
            return fail(WSAEINVAL);
        }
        MEMORY.putLong(out, function);
        return 0;
    }

    @Override
    public int AcceptEx(long function, long listenSocket, long acceptSocket, long output, int receiveLength,
                        int localAddressLength, int remoteAddressLength, long received, long overlapped) {
        if (function != ACCEPT_EX || localAddressLength < Offsets.SOCKADDR_IN6_SIZE + 16) {
            return fail(WSAEINVAL);
        }
        Sock listener = sock(listenSocket);
        Sock accepted = sock(acceptSocket);
        if (!listener.listening || accepted.localPort != 0 || accepted.peer != null) {
            return fail(WSAEINVAL);
        }
        submitted(listener, overlapped);
        listener.accepts.add(new long[] {overlapped, acceptSocket});
        return pending();
    }

    @Override
    public int ConnectEx(long function, long socket, long name, int nameLength, long send, int sendLength, long sent,
                         long overlapped) {
        Sock client = sock(socket);
        if (function != CONNECT_EX || client.localPort == 0) {
            return fail(WSAEINVAL); // ConnectEx refuses an unbound socket
        }
        int port = ((MEMORY.getByte(name + 2) & 0xff) << 8) | (MEMORY.getByte(name + 3) & 0xff);
        Sock listener = sockets.values().stream().filter(s -> s.listening && s.localPort == port).findFirst()
                .orElse(null);
        submitted(client, overlapped);
        if (listener == null || listener.accepts.isEmpty()) {
            // Refused: as on Windows, the call is pending and its completion carries the failure.
            complete(overlapped, 0, STATUS_CONNECTION_REFUSED);
            return pending();
        }
        long[] accept = listener.accepts.poll();
        Sock server = sock(accept[1]);
        server.localPort = listener.localPort;
        server.peer = client;
        client.peer = server;
        complete(accept[0], 0, STATUS_SUCCESS);
        complete(overlapped, 0, STATUS_SUCCESS);
        return pending();
    }

    @Override
    public int WSARecv(long socket, long buffers, int bufferCount, long received, long flags, long overlapped,
                       long completionRoutine) {
        Sock sock = sock(socket);
        if (bufferCount != 1 || sock.recvOverlapped != 0) {
            return fail(WSAEINVAL);
        }
        submitted(sock, overlapped);
        sock.recvOverlapped = overlapped;
        sock.recvBuffer = MEMORY.getLong(buffers + Offsets.WSABUF_BUF);
        sock.recvLength = MEMORY.getInt(buffers + Offsets.WSABUF_LEN);
        deliver(sock);
        return pending();
    }

    @Override
    public int WSASend(long socket, long buffers, int bufferCount, long sent, int flags, long overlapped,
                       long completionRoutine) {
        Sock sock = sock(socket);
        if (bufferCount != 1 || sock.peer == null || !sock.connected) {
            return fail(WSAENOTCONN);
        }
        submitted(sock, overlapped);
        int length = MEMORY.getInt(buffers + Offsets.WSABUF_LEN);
        byte[] data = new byte[length];
        MEMORY.getByteArray(MEMORY.getLong(buffers + Offsets.WSABUF_BUF), data, 0, length);
        complete(overlapped, length, STATUS_SUCCESS);
        sock.peer.inbound.writeBytes(data);
        deliver(sock.peer);
        return pending();
    }

    /** Completes the socket's pending receive with what has arrived. */
    private void deliver(Sock sock) {
        if (sock.recvOverlapped != 0 && sock.inbound.size() == 0 && sock.peerClosed) {
            long overlapped = sock.recvOverlapped;
            sock.recvOverlapped = 0;
            // EOF: a read of 0 bytes (a named pipe's fails with ERROR_BROKEN_PIPE, as Windows reports it)
            complete(overlapped, 0, sock.namedPipe ? STATUS_PIPE_BROKEN : STATUS_SUCCESS);
            return;
        }
        if (sock.recvOverlapped == 0 || sock.inbound.size() == 0) {
            return;
        }
        byte[] data = sock.inbound.toByteArray();
        int n = Math.min(data.length, sock.recvLength);
        MEMORY.putByteArray(sock.recvBuffer, data, 0, n);
        sock.inbound.reset();
        sock.inbound.write(data, n, data.length - n);
        long overlapped = sock.recvOverlapped;
        sock.recvOverlapped = 0;
        complete(overlapped, n, STATUS_SUCCESS);
    }

    @Override
    public int WSARecvFrom(long socket, long buffers, int bufferCount, long received, long flags, long from,
                           long fromLength, long overlapped, long completionRoutine) {
        Sock sock = sock(socket);
        if (!sock.datagram || bufferCount != 1 || sock.recvOverlapped != 0 || sock.localPort == 0
                || MEMORY.getInt(fromLength) < Offsets.SOCKADDR_IN_SIZE) {
            return fail(WSAEINVAL);
        }
        submitted(sock, overlapped);
        sock.recvOverlapped = overlapped;
        sock.recvBuffer = MEMORY.getLong(buffers + Offsets.WSABUF_BUF);
        sock.recvLength = MEMORY.getInt(buffers + Offsets.WSABUF_LEN);
        sock.recvFrom = from;
        sock.recvFromLength = fromLength;
        deliverDatagram(sock);
        return pending();
    }

    @Override
    public int WSASendTo(long socket, long buffers, int bufferCount, long sent, int flags, long to, int toLength,
                         long overlapped, long completionRoutine) {
        Sock sock = sock(socket);
        if (!sock.datagram || bufferCount != 1 || toLength != Offsets.SOCKADDR_IN_SIZE || MEMORY.getShort(to) != AF_INET) {
            return fail(WSAEINVAL);
        }
        if (sock.localPort == 0) {
            sock.localPort = nextPort++; // an unbound datagram socket is bound by its first send
        }
        submitted(sock, overlapped);
        int length = MEMORY.getInt(buffers + Offsets.WSABUF_LEN);
        byte[] data = new byte[length];
        MEMORY.getByteArray(MEMORY.getLong(buffers + Offsets.WSABUF_BUF), data, 0, length);
        complete(overlapped, length, STATUS_SUCCESS);
        int port = ((MEMORY.getByte(to + 2) & 0xff) << 8) | (MEMORY.getByte(to + 3) & 0xff);
        sockets.values().stream().filter(s -> s.datagram && s.localPort == port).findFirst().ifPresent(target -> {
            target.datagrams.add(new Object[] {data, sock.localPort});
            deliverDatagram(target);
        });
        return pending();
    }

    /** Completes the socket's pending WSARecvFrom with the first datagram, writing its sender. */
    private void deliverDatagram(Sock sock) {
        if (sock.recvOverlapped == 0 || sock.datagrams.isEmpty()) {
            return;
        }
        Object[] datagram = sock.datagrams.poll();
        byte[] data = (byte[]) datagram[0];
        int n = Math.min(data.length, sock.recvLength);
        MEMORY.putByteArray(sock.recvBuffer, data, 0, n);
        writeAddress(sock.recvFrom, sock.recvFromLength, (Integer) datagram[1]);
        long overlapped = sock.recvOverlapped;
        sock.recvOverlapped = 0;
        complete(overlapped, n, data.length > n ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS);
    }

    @Override
    public int WSAGetOverlappedResult(long socket, long overlapped, long transferred, int wait, long flags) {
        long status = MEMORY.getLong(overlapped + Offsets.OVERLAPPED_INTERNAL);
        MEMORY.putInt(transferred, (int) MEMORY.getLong(overlapped + Offsets.OVERLAPPED_INTERNAL_HIGH));
        if (status == STATUS_CANCELLED) {
            lastError = WSA_OPERATION_ABORTED;
            return 0;
        }
        if (status == STATUS_CONNECTION_REFUSED) {
            lastError = WSAECONNREFUSED;
            return 0;
        }
        if (status == STATUS_BUFFER_OVERFLOW) {
            lastError = WSAEMSGSIZE;
            return 0;
        }
        if (status == STATUS_PIPE_BROKEN) {
            lastError = ERROR_BROKEN_PIPE; // processes
            return 0;
        }
        return status == STATUS_SUCCESS ? 1 : 0;
    }

    @Override
    public int lastError() {
        return lastError;
    }

    // --- processes: the child's side of its named pipes, for FakeProcesses ---

    /** A named pipe {parent's end, child's end}; {@code toChild}: the parent writes (stdin), else reads. */
    synchronized long[] namedPipe(boolean toChild) {
        long[] pair = pipe(); // {source, sink}
        sock(pair[0]).namedPipe = true;
        sock(pair[1]).namedPipe = true;
        return toChild ? new long[] {pair[1], pair[0]} : new long[] {pair[0], pair[1]};
    }

    /** The child reads its stdin end: everything the parent wrote so far. */
    synchronized byte[] takeInbound(long childEnd) {
        Sock sock = sock(childEnd);
        byte[] data = sock.inbound.toByteArray();
        sock.inbound.reset();
        return data;
    }

    /** Whether the parent closed its end of the child's pipe. */
    synchronized boolean peerClosed(long childEnd) {
        return sock(childEnd).peerClosed;
    }

    /** The child writes to its stdout end (a plain, not overlapped, write): the parent's read gets it. */
    synchronized void writeAsChild(long childEnd, byte[] data) {
        Sock peer = sock(childEnd).peer;
        peer.inbound.writeBytes(data);
        deliver(peer);
    }

    /** The parent closes its end (CloseHandle): its own pending read is aborted, its peer sees EOF. */
    synchronized void closeNamedPipeEnd(long handle) {
        Sock sock = sock(handle);
        if (sock.recvOverlapped != 0) {
            long overlapped = sock.recvOverlapped;
            sock.recvOverlapped = 0;
            complete(overlapped, 0, STATUS_CANCELLED);
        }
        closePipeEnd(handle);
    }

    /** Whether {@code end}'s peer is {@code other} (the child's stdin end and the parent's). */
    synchronized boolean peerIs(long end, long other) {
        Sock peer = sock(end).peer;
        return peer != null && peer.handle == other;
    }

    /** Whether a handle is an open socket or pipe end of this fake, for leak checks. */
    synchronized boolean isOpen(long handle) {
        return sockets.containsKey(handle);
    }
}

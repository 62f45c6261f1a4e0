package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import asyncio.api.Future;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.transports.AcceptedSocket;
import asyncio.spi.ChannelDescriptorReader;
import asyncio.spi.proactor.ProactorEventLoop;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.windows.ffi.NativeWin32;
import asyncio.windows.ffi.NativeWin32Processes;
import asyncio.windows.ffi.NativeWin32Readiness;
import asyncio.windows.ffi.Win32;
import asyncio.windows.ffi.Win32Processes;
import asyncio.windows.ffi.Win32Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The proactor loop on Windows: asyncio's {@code ProactorEventLoop} (the default loop on Windows
 * since Python 3.8), its transports over {@link IocpCompletionPort}. Sockets are overlapped
 * SOCKETs of its own; application channels (sock_*, pipes) are used through their handles.
 */
public final class WindowsEventLoop extends ProactorEventLoop {
    private static final ChannelDescriptorReader DESCRIPTORS = new ChannelDescriptorReader(MethodHandles.lookup(),
            "asyncio.windows", "the Windows loop uses an application's NIO channel through its SOCKET handle, which");

    private final IocpCompletionPort port;
    /** The process binding (null: subprocesses are refused, as the default of the seam). */
    private final Win32Processes processes;
    /** The application's channels used with sock_*: one socket each. */
    private final Map<SelectableChannel, WindowsSocket> adopted = new WeakHashMap<>();

    /** A loop with its own completion port; fails off Windows (see the provider's probe). */
    public WindowsEventLoop() {
        this(openPort(NativeWin32.load()), NativeWin32Processes.load(), NativeWin32Readiness.load());
        port.transmitFiles(new TransmitFiles(new asyncio.windows.ffi.NativeWin32TransmitFile(), TransmitFiles.jdkHandles()));
    }

    /** A loop over another {@link Win32} (the tests' recorder), without subprocesses or addReader/addWriter. */
    WindowsEventLoop(IocpCompletionPort port) {
        this(port, null, null);
    }

    /** A loop over another {@link Win32} and {@link Win32Processes} (the tests' scripted ones). */
    WindowsEventLoop(IocpCompletionPort port, Win32Processes processes) {
        this(port, processes, null);
    }

    /** A loop over another {@link Win32} whose port watches sockets with {@code readiness} (the tests' poll). */
    WindowsEventLoop(IocpCompletionPort port, Win32Readiness readiness) {
        this(port, null, readiness);
    }

    /**
     * A loop over {@code port}; {@code processes} null refuses subprocesses (the seam's default),
     * {@code readiness} null refuses addReader/addWriter as CPython's proactor does (so does a JVM
     * that hides the channels' SOCKETs).
     */
    WindowsEventLoop(IocpCompletionPort port, Win32Processes processes, Win32Readiness readiness) {
        super(port);
        this.port = port;
        this.processes = processes;
        if (processes != null) {
            port.processes(processes);
        }
        if (readiness != null && DESCRIPTORS.available()) {
            port.readiness(new WindowsReadiness(port, readiness, DESCRIPTORS::fdOf));
        }
    }

    static IocpCompletionPort openPort(Win32 win32) {
        try {
            return new IocpCompletionPort(win32);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot create an I/O completion port", failed);
        }
    }

    @Override
    public String implementationName() {
        return WindowsEventLoopProvider.NAME;
    }

    @Override
    protected ProactorSocket openStreamSocket(ProtocolFamily family) throws IOException {
        return open(family, SOCK_STREAM);
    }

    @Override
    protected ProactorSocket openDatagramSocket(ProtocolFamily family) throws IOException {
        return open(family, SOCK_DGRAM);
    }

    @Override
    protected ProactorSocket openListeningSocket(ProtocolFamily family) throws IOException {
        return open(family, SOCK_STREAM);
    }

    /** null family: dual-stack IPv6 (Windows makes AF_INET6 sockets IPv6-only unless told otherwise). */
    private WindowsSocket open(ProtocolFamily family, int type) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            // CPython's proactor has no UNIX sockets either (NotImplementedError).
            throw new UnsupportedOperationException("UNIX sockets are not supported by the Windows proactor loop");
        }
        int af = family == StandardProtocolFamily.INET ? AF_INET : AF_INET6;
        WindowsSocket socket = WindowsSocket.open(port, af, type);
        if (family == null) {
            port.scratch.putInt(0, 0);
            if (port.win32.setsockopt(socket.handle, IPPROTO_IPV6, IPV6_V6ONLY, port.scratchAddress, 4) != 0) {
                IOException failed = WinErrors.exception(port.win32.lastError(), "setsockopt(IPV6_V6ONLY)");
                socket.closeQuietly();
                throw failed;
            }
        }
        return socket;
    }

    /**
     * The application's channel by its SOCKET. The JDK opens dual-stack AF_INET6 sockets unless
     * {@code java.net.preferIPv4Stack} is set. sock_accept cannot hand back a NIO channel for a
     * socket AcceptEx made, so the transports' accept path is the loop's own servers only.
     */
    @Override
    protected ProactorSocket adopt(SelectableChannel channel) throws IOException {
        WindowsSocket socket = adopted.get(channel);
        if (socket == null) {
            int family = Boolean.getBoolean("java.net.preferIPv4Stack") ? AF_INET : AF_INET6;
            int type = channel instanceof DatagramChannel ? SOCK_DGRAM
                    : channel instanceof SocketChannel || channel instanceof ServerSocketChannel ? SOCK_STREAM : 0;
            socket = WindowsSocket.adopt(port, channel, DESCRIPTORS.fdOf(channel), family, type);
            adopted.put(channel, socket);
        }
        return socket;
    }

    /** A NIO pipe end: on Windows a loopback socket pair underneath, read and written with ReadFile/WriteFile. */
    @Override
    protected ProactorSocket adoptPipe(SelectableChannel pipe) throws IOException {
        return WindowsSocket.adopt(port, pipe, DESCRIPTORS.fdOf(pipe), 0, 0);
    }

    // --- processes ---

    /** CreateProcessW with overlapped named pipes ({@link WindowsProcess}); called off the loop thread. */
    @Override
    protected ProactorProcess spawnProcess(List<String> args, SubprocessOptions options) throws IOException {
        if (processes == null) {
            return super.spawnProcess(args, options);
        }
        return WindowsProcess.spawn(port, processes, args, options);
    }

    /** {@code shell=True}: {@code %COMSPEC% /c "command"}, the command passed as given (see {@link CommandLine#shell}). */
    @Override
    protected List<String> shellCommand(String command) {
        return CommandLine.shell(command);
    }

    /**
     * {@code sock_accept}: the connection must come back as a NIO {@link SocketChannel}, which a
     * SOCKET AcceptEx filled cannot become (the JDK makes channels only of sockets it opened). So,
     * with the readiness helper, as asyncio's selector loop does it (see {@link SockCallsByReadiness});
     * without it, the proactor's path (which refuses application channels).
     */
    @Override
    public Future<AcceptedSocket> sockAccept(ServerSocketChannel sock) {
        if (port.readiness() == null) {
            return super.sockAccept(sock);
        }
        checkClosed();
        return SockCallsByReadiness.accept(this, sock);
    }

    /**
     * {@code sock_connect}: with the readiness helper, the channel's own non-blocking connect and
     * {@code finishConnect} when writable, so the JDK's channel knows it is connected (after a
     * ConnectEx on its SOCKET it would not: no remote address, writes refused).
     */
    @Override
    public Future<Void> sockConnect(SocketChannel sock, SocketAddress address) {
        if (port.readiness() == null) {
            return super.sockConnect(sock, address);
        }
        checkClosed();
        return SockCallsByReadiness.connect(this, sock, address);
    }
}

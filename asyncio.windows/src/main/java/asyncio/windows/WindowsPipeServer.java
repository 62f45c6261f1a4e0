package asyncio.windows;

import asyncio.api.transports.BaseProtocol;
import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.PipeServer;
import asyncio.windows.ffi.Win32Processes;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A served named pipe, asyncio's {@code PipeServer} with {@code _start_serving_pipe}'s loop: one
 * instance always waits for a client with ConnectNamedPipe through the port; when a client takes
 * it, the next instance is made and waits, and the taken one becomes a duplex pipe transport with
 * a new protocol. {@link #close()} closes the waiting instance, which aborts its ConnectNamedPipe;
 * connections already made stay.
 */
final class WindowsPipeServer implements PipeServer, Completion<Void> {
    private final WindowsEventLoop loop;
    private final IocpCompletionPort port;
    private final Win32Processes processes;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final String name;
    private boolean closed;
    /** The instance waiting for a client (null once closed, or after a failure ended serving). */
    private WindowsSocket waiting;
    private Operation connectOp;

    private WindowsPipeServer(WindowsEventLoop loop, IocpCompletionPort port, Win32Processes processes,
                              Supplier<? extends BaseProtocol> protocolFactory, String name) {
        this.loop = loop;
        this.port = port;
        this.processes = processes;
        this.protocolFactory = protocolFactory;
        this.name = name;
    }

    /** Claims {@code name} with its first instance now (so a taken name fails the call); waits for clients from the next iteration. */
    static WindowsPipeServer start(WindowsEventLoop loop, IocpCompletionPort port, Win32Processes processes,
                                   Supplier<? extends BaseProtocol> protocolFactory, String name) throws IOException {
        WindowsPipeServer server = new WindowsPipeServer(loop, port, processes, protocolFactory, name);
        server.waiting = NamedPipes.serverInstance(port, processes, name, true);
        loop.callSoon(server::acceptNext);
        return server;
    }

    private void acceptNext() {
        if (!closed && waiting != null && connectOp == null) {
            connectOp = port.connectPipe(waiting, this);
        }
    }

    /** A client took the waiting instance: the next one waits, the taken one is served. */
    @Override
    public void completed(Void connected) {
        connectOp = null;
        WindowsSocket pipe = waiting;
        waiting = null;
        if (closed) {
            if (pipe != null) {
                pipe.closeQuietly();
            }
            return;
        }
        try {
            waiting = NamedPipes.serverInstance(port, processes, name, false);
        } catch (IOException failed) {
            report(failed, null);
        }
        serve(pipe);
        acceptNext();
    }

    /**
     * ERROR_NO_DATA (a client came and went before ConnectNamedPipe): that instance is dropped and
     * a new one waits, as CPython treats BrokenPipeError; any other error is reported and ends serving.
     */
    @Override
    public void failed(IOException error) {
        connectOp = null;
        WindowsSocket pipe = waiting;
        waiting = null;
        if (pipe != null) {
            pipe.closeQuietly();
        }
        if (closed) {
            return;
        }
        if (error.getMessage() != null && error.getMessage().startsWith("Broken pipe")) {
            try {
                waiting = NamedPipes.serverInstance(port, processes, name, false);
            } catch (IOException again) {
                report(again, null);
                return;
            }
            acceptNext();
            return;
        }
        report(error, pipe);
    }

    /** Aborted: the instance was closed by {@link #close()} (or the loop's port is closing). */
    @Override
    public void cancelled() {
        connectOp = null;
    }

    private void serve(WindowsSocket pipe) {
        try {
            loop.serveNamedPipe(pipe, name, protocolFactory.get());
        } catch (IOException | RuntimeException failed) {
            pipe.closeQuietly();
            report(failed, pipe);
        }
    }

    private void report(Exception error, WindowsSocket pipe) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", "Pipe accept failed");
        context.put("exception", error);
        context.put("pipe", pipe == null ? null : pipe.channel());
        loop.callExceptionHandler(context);
    }

    @Override
    public String address() {
        return closed ? null : name;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.forgetPipeServer(this);
        if (waiting != null) {
            // Closing the handle aborts its ConnectNamedPipe; the completion comes as cancelled.
            waiting.closeQuietly();
            waiting = null;
        }
    }

    @Override
    public String toString() {
        return "<PipeServer " + name + (closed ? " closed" : "") + ">";
    }
}

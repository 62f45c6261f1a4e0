package asyncio.api.subprocess;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamReaderProtocol;
import asyncio.api.streams.StreamWriter;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol behind a {@link Process}: stdout and stderr feed {@link StreamReader}s, stdin is a
 * {@link StreamWriter}, and waiters learn the exit code. Mirrors {@code asyncio.subprocess.SubprocessStreamProtocol}.
 */
final class SubprocessStreamProtocol implements SubprocessProtocol {
    private final EventLoop loop;
    private final int limit;
    private final List<Future<Integer>> exitWaiters = new ArrayList<>();
    private SubprocessTransport transport;
    private StreamReader stdout;
    private StreamReader stderr;
    private StreamWriter stdin;
    private boolean exited;

    SubprocessStreamProtocol(EventLoop loop, int limit) {
        this.loop = loop;
        this.limit = limit;
    }

    @Override
    public void connectionMade(BaseTransport made) {
        transport = (SubprocessTransport) made;
        if (transport.getPipeTransport(1) instanceof asyncio.api.transports.ReadTransport out) {
            stdout = new StreamReader(limit, loop);
            stdout.setTransport(out);
        }
        if (transport.getPipeTransport(2) instanceof asyncio.api.transports.ReadTransport err) {
            stderr = new StreamReader(limit, loop);
            stderr.setTransport(err);
        }
        if (transport.getPipeTransport(0) instanceof Transport in) {
            // The writer's drain() needs a protocol that tracks the pipe's flow control.
            StreamReaderProtocol flow = new StreamReaderProtocol(new StreamReader(limit, loop), loop);
            in.setProtocol(flow);
            flow.connectionMade(in);
            stdin = new StreamWriter(in, flow, null, loop);
        }
    }

    @Override
    public void pipeDataReceived(int fd, ByteBuffer data) {
        StreamReader reader = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (reader != null) {
            reader.feedData(data);
        }
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable error) {
        if (fd == 0) {
            if (stdin != null) {
                stdin.close();
            }
            return;
        }
        StreamReader reader = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (reader == null) {
            return;
        }
        if (error == null) {
            reader.feedEof();
        } else {
            reader.setException(error);
        }
    }

    @Override
    public void processExited() {
        exited = true;
        for (Future<Integer> waiter : exitWaiters) {
            if (!waiter.done()) {
                waiter.setResult(transport.getReturncode());
            }
        }
        exitWaiters.clear();
    }

    Future<Integer> exitCode() {
        Future<Integer> waiter = loop.createFuture();
        if (exited) {
            waiter.setResult(transport.getReturncode());
        } else {
            exitWaiters.add(waiter);
        }
        return waiter;
    }

    SubprocessTransport transport() {
        return transport;
    }

    StreamReader stdout() {
        return stdout;
    }

    StreamReader stderr() {
        return stderr;
    }

    StreamWriter stdin() {
        return stdin;
    }
}

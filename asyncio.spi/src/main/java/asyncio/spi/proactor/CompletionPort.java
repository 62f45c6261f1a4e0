package asyncio.spi.proactor;

import asyncio.api.SendfileNotAvailableError;
import java.io.Closeable;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BiConsumer;

/**
 * The seam between the completion-based transports and a kernel that completes I/O (Windows I/O
 * completion ports, io_uring, or the emulation the test suite runs on Linux). A transport submits
 * an operation with a buffer it lends; the port starts it and, later, on the loop thread, in the
 * order the kernel completed them, calls the operation's {@link Completion}. Mirrors the part of
 * asyncio's {@code IocpProactor} that {@code proactor_events} uses.
 *
 * <p>The buffer contract, for every operation: from submission until its completion has been
 * called, the transport neither reads, writes nor releases the buffer, and the port keeps it (and
 * any native memory it stands for: an OVERLAPPED, a copy of a heap buffer, a submission entry)
 * reachable, also after {@link Operation#cancel()}, after the socket is closed and while the port
 * closes. A byte count in a completion has already been applied to the buffer: the port moved its
 * position by that many bytes before calling {@link Completion#completed}.
 *
 * <p>Threads: every method but {@link #wakeup()} is called on the loop thread, and every
 * completion runs there, from {@link #dispatch(BiConsumer)}.
 */
public interface CompletionPort extends Closeable {
    /**
     * Receives into {@code target} (position to limit, which must not be empty). Completes with
     * the byte count; 0 means the peer closed its side (EOF).
     */
    Operation recv(ProactorSocket socket, ByteBuffer target, Completion<Integer> completion);

    /**
     * Sends {@code source} (position to limit). Completes with the bytes the kernel took, which
     * may be fewer than asked (a partial send): the transport submits the rest.
     */
    Operation send(ProactorSocket socket, ByteBuffer source, Completion<Integer> completion);

    /** Accepts one connection on a listening socket; completes with the connected socket. */
    Operation accept(ProactorSocket listener, Completion<ProactorSocket> completion);

    /** Connects a stream socket to {@code remote} (bind it first where the kernel needs it). */
    Operation connect(ProactorSocket socket, SocketAddress remote, Completion<Void> completion);

    /**
     * Receives one datagram into {@code target}; completes with its sender, the position moved
     * past its bytes (the rest of a longer datagram is lost, as recvfrom drops it).
     */
    Operation recvFrom(ProactorSocket socket, ByteBuffer target, Completion<SocketAddress> completion);

    /** Sends {@code source} as one datagram to {@code target} (null: the connected peer); completes with its size. */
    Operation sendTo(ProactorSocket socket, ByteBuffer source, SocketAddress target, Completion<Integer> completion);

    /**
     * Reads into {@code target} from a pipe end (ReadFile, IORING_OP_READ). Completes with the
     * byte count; 0 means the writer closed its end (EOF).
     */
    Operation read(ProactorSocket pipe, ByteBuffer target, Completion<Integer> completion);

    /** Writes {@code source} to a pipe end (WriteFile, IORING_OP_WRITE); completes with the bytes taken, maybe fewer. */
    Operation write(ProactorSocket pipe, ByteBuffer source, Completion<Integer> completion);

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position} on a connected stream
     * socket without copying them through the JVM, leaving the file's position alone; completes
     * with the bytes sent, which may be fewer (0: the file ended). Mirrors {@code TransmitFile}.
     * A port without such an operation raises {@link SendfileNotAvailableError} at submission,
     * and the loop copies instead where the caller allows it.
     */
    default Operation transmitFile(ProactorSocket socket, FileChannel file, long position, long count,
                                   Completion<Long> completion) {
        throw new SendfileNotAvailableError("the completion port cannot send files");
    }

    /**
     * Completes once {@code process} has exited (nothing is transferred: the result is null).
     * Mirrors {@code IocpProactor.wait_for_handle}: the exit is posted to the port as a completion,
     * with no thread waiting per child (on Windows a waiter thread watches up to 63 process
     * handles). Cancelling stops the wait; the cancelled completion still comes. A port without
     * processes raises {@link UnsupportedOperationException} at submission.
     */
    default Operation waitForExit(ProactorProcess process, Completion<Void> completion) {
        throw new UnsupportedOperationException("the completion port cannot wait for processes");
    }

    /**
     * Completes (with null) once the reader of the pipe whose write end is {@code pipe} has gone
     * away, or returns null when this port cannot tell (a write then learns it). Stands for the
     * read asyncio's write pipe transport keeps pending on Windows to see the close; io_uring
     * polls the write end for POLLERR. Closing the pipe cancels it.
     */
    default Operation watchReaderGone(ProactorSocket pipe, Completion<Void> completion) {
        return null;
    }

    /**
     * The port's readiness facility for {@code addReader}/{@code addWriter}, or null when it has
     * none (the loop then refuses them, as asyncio's proactor does).
     */
    default ReadinessHelper readiness() {
        return null;
    }

    /**
     * Waits up to {@code timeoutNanos} (0: not at all; negative: until something completes or
     * {@link #wakeup()}) for completions and queues them in completion order, running none yet.
     */
    void poll(long timeoutNanos);

    /**
     * Runs the completions {@link #poll} queued, in order. A completion that throws stops none of
     * the others: its error goes to {@code uncaught} (the loop's exception handler).
     */
    void dispatch(BiConsumer<Completion<?>, RuntimeException> uncaught);

    /** Makes a blocked or the next {@link #poll} return at once; any thread may call it. */
    void wakeup();

    /**
     * Releases the port. Operations still pending are aborted; their buffers stay reachable until
     * the kernel has let go of them (the port waits for those completions or keeps the memory).
     */
    @Override
    void close();
}

package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.ProactorSocket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a completed overlapped operation tells its {@link Completion}, on the loop thread: the byte
 * count applied to the lent buffer, the sender of a datagram, the accepted socket once
 * SO_UPDATE_ACCEPT_CONTEXT made it a full socket, the connected socket once SO_UPDATE_CONNECT_CONTEXT
 * did; or the error the Win32 code stands for; or cancelled, when the abort (CancelIoEx, or
 * closesocket of our own socket) won over the operation.
 */
final class Outcomes {
    private Outcomes() {
    }

    @SuppressWarnings("unchecked")
    static void deliver(IocpCompletionPort port, IocpCompletionPort.Op<?> op) {
        if (op.failure != null) {
            closeAccepted(op);
            op.completion.failed(op.failure);
            return;
        }
        if (op.error != 0 && !succeededAnyway(op)) {
            closeAccepted(op);
            if (op.error == ERROR_OPERATION_ABORTED || op.socket == null || !op.socket.isOpen()) {
                op.completion.cancelled();
            } else {
                op.completion.failed(WinErrors.exception(op.error, what(op.kind), datagram(op.kind)));
            }
            return;
        }
        switch (op.kind) {
            case RECV, READ -> {
                moved(op, true);
                ((Completion<Integer>) op.completion).completed(op.bytes);
            }
            case SEND, WRITE, SEND_TO -> {
                moved(op, false);
                ((Completion<Integer>) op.completion).completed(op.bytes);
            }
            case RECV_FROM -> {
                moved(op, true);
                SocketAddress sender = Sockaddrs.decode(op.block.buffer, OpBlock.ADDRESS, op.block.addressLength());
                ((Completion<SocketAddress>) op.completion).completed(sender);
            }
            case ACCEPT -> accepted(port, (IocpCompletionPort.Op<ProactorSocket>) op);
            case CONNECT -> connected(port, (IocpCompletionPort.Op<Void>) op);
            case EXIT -> ((Completion<Void>) op.completion).completed(null); // processes
            case TRANSMIT -> ((Completion<Long>) op.completion).completed((long) op.bytes);
            default -> throw new AssertionError(op.kind);
        }
    }

    /**
     * Errors that are results: the end of a pipe is EOF (ERROR_BROKEN_PIPE, ERROR_HANDLE_EOF), and
     * a datagram longer than the buffer arrives truncated (WSAEMSGSIZE, ERROR_MORE_DATA), as
     * recvfrom drops the rest on every platform.
     */
    private static boolean succeededAnyway(IocpCompletionPort.Op<?> op) {
        return switch (op.kind) {
            case READ -> {
                if (op.error == ERROR_BROKEN_PIPE || op.error == ERROR_HANDLE_EOF) {
                    op.bytes = 0;
                    yield true;
                }
                yield op.error == ERROR_MORE_DATA;
            }
            case RECV_FROM -> op.error == WSAEMSGSIZE || op.error == ERROR_MORE_DATA;
            default -> false;
        };
    }

    /** SO_UPDATE_ACCEPT_CONTEXT: without it the accepted socket has no addresses, options or shutdown. */
    private static void accepted(IocpCompletionPort port, IocpCompletionPort.Op<ProactorSocket> op) {
        WindowsSocket socket = op.accepted;
        op.accepted = null;
        if (port.win32.setsockopt(socket.handle, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                op.block.listenHandleAddress(), 8) != 0) {
            int error = port.win32.lastError();
            socket.closeQuietly();
            op.completion.failed(WinErrors.exception(error, "setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", false));
            return;
        }
        op.completion.completed(socket);
    }

    /** SO_UPDATE_CONNECT_CONTEXT: without it getpeername and shutdown fail on a ConnectEx socket. */
    private static void connected(IocpCompletionPort port, IocpCompletionPort.Op<Void> op) {
        if (port.win32.setsockopt(op.socket.handle, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, 0, 0) != 0) {
            op.completion.failed(WinErrors.exception(port.win32.lastError(), "setsockopt(SO_UPDATE_CONNECT_CONTEXT)", false));
            return;
        }
        op.completion.completed(null);
    }

    private static void closeAccepted(IocpCompletionPort.Op<?> op) {
        if (op.accepted != null) {
            op.accepted.closeQuietly();
            op.accepted = null;
        }
    }

    /** Moves the lent buffer's position past the bytes transferred, copying in from the staging copy. */
    private static void moved(IocpCompletionPort.Op<?> op, boolean received) {
        ByteBuffer buffer = op.buffer;
        if (received && op.staging != buffer && op.bytes > 0) {
            buffer.put(buffer.position(), op.staging, 0, op.bytes);
        }
        buffer.position(buffer.position() + op.bytes);
    }

    private static String what(IocpCompletionPort.Kind kind) {
        return switch (kind) {
            case RECV -> "WSARecv";
            case SEND -> "WSASend";
            case ACCEPT -> "AcceptEx";
            case CONNECT -> "ConnectEx";
            case RECV_FROM -> "WSARecvFrom";
            case SEND_TO -> "WSASendTo";
            case READ -> "ReadFile";
            case WRITE -> "WriteFile";
            case EXIT -> "WaitForMultipleObjects"; // processes
            case TRANSMIT -> "TransmitFile";
        };
    }

    private static boolean datagram(IocpCompletionPort.Kind kind) {
        return kind == IocpCompletionPort.Kind.RECV_FROM || kind == IocpCompletionPort.Kind.SEND_TO;
    }
}

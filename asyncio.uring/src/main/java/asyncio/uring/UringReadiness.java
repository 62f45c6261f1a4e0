package asyncio.uring;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ReadinessHelper;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * {@code addReader}/{@code addWriter} on the ring: each watched channel has one one-shot
 * IORING_OP_POLL_ADD in the kernel, re-armed after its listener ran, so a channel that stays ready
 * is reported once per loop iteration: level-triggered, as the {@link ReadinessHelper} contract
 * and asyncio's selector loop are. A change of the watched operations cancels the poll in the
 * kernel and arms a new one; the old one's late completion is ignored.
 */
final class UringReadiness implements ReadinessHelper {
    private static final int POLLERR = 0x008;
    private static final int POLLHUP = 0x010;

    private final UringCompletionPort port;
    private final Map<SelectableChannel, Watch> watches = new IdentityHashMap<>();

    UringReadiness(UringCompletionPort port) {
        this.port = port;
    }

    @Override
    public void watch(SelectableChannel channel, int ops, Listener listener) {
        Watch watch = watches.get(channel);
        if (ops == 0) {
            if (watch != null) {
                watches.remove(channel);
                watch.ops = 0;
                watch.disarm();
            }
            return;
        }
        if (watch == null) {
            watch = new Watch(new UringSocket(port, channel));
            watches.put(channel, watch);
        }
        watch.listener = listener;
        if (watch.ops != ops) {
            watch.ops = ops;
            watch.disarm();
            watch.arm();
        }
    }

    /** One watched channel: its mask, its listener and the poll in the kernel for it. */
    private final class Watch {
        final UringSocket socket;
        int ops;
        Listener listener;
        /** The poll whose completion counts; null between a report and the re-arm, or once disarmed. */
        Poll armed;

        Watch(UringSocket socket) {
            this.socket = socket;
        }

        void arm() {
            int events = ((ops & SelectionKey.OP_READ) != 0 ? Kernel.POLLIN : 0)
                    | ((ops & SelectionKey.OP_WRITE) != 0 ? Kernel.POLLOUT : 0);
            Poll poll = new Poll(this);
            armed = poll;
            poll.operation = port.pollFor(socket, events, poll);
        }

        void disarm() {
            Poll poll = armed;
            armed = null;
            if (poll != null && poll.operation != null) {
                poll.operation.cancel();
            }
        }

        /** The kernel's events as the watched operations they make ready (an error or hang-up: all of them). */
        int readyOps(int events) {
            if ((events & (POLLERR | POLLHUP)) != 0) {
                return ops;
            }
            return ((events & Kernel.POLLIN) != 0 ? SelectionKey.OP_READ : 0)
                    | ((events & Kernel.POLLOUT) != 0 ? SelectionKey.OP_WRITE : 0);
        }
    }

    /** One arming of a watch; a completion that is not its watch's current one is stale. */
    private static final class Poll implements Completion<Integer> {
        final Watch watch;
        Operation operation;

        Poll(Watch watch) {
            this.watch = watch;
        }

        @Override
        public void completed(Integer events) {
            if (watch.armed != this) {
                return;
            }
            watch.armed = null;
            try {
                int ready = watch.readyOps(events) & watch.ops;
                if (ready != 0) {
                    watch.listener.ready(ready);
                }
            } finally {
                // Still watched and not re-armed by the listener (a mask change): poll again.
                if (watch.armed == null && watch.ops != 0 && watch.socket.isOpen()) {
                    watch.arm();
                }
            }
        }

        @Override
        public void failed(IOException error) {
            // The descriptor went bad (closed under the watch): stop polling it rather than spin.
            if (watch.armed == this) {
                watch.armed = null;
            }
        }

        @Override
        public void cancelled() {
            if (watch.armed == this) {
                watch.armed = null;
            }
        }
    }
}

package asyncio.spi.proactor;

import java.io.IOException;

/**
 * An idle write pipe's watch for its reader's going away ({@link CompletionPort#watchReaderGone}),
 * started with the transport: the reader's close then closes the transport at once, without a
 * write to fail, as asyncio's {@code _ProactorWritePipeTransport._pipe_closed}. A port without
 * such a watch leaves it to the next write. Cancelled with the pipe's close.
 */
final class ReaderGoneWatch implements Completion<Void> {
    private final ProactorWritePipeTransport transport;

    private ReaderGoneWatch(ProactorWritePipeTransport transport) {
        this.transport = transport;
    }

    static void start(CompletionPort port, ProactorSocket pipe, ProactorWritePipeTransport transport) {
        if (pipe.isOpen()) {
            port.watchReaderGone(pipe, new ReaderGoneWatch(transport));
        }
    }

    @Override
    public void completed(Void result) {
        transport.readerGone();
    }

    /** The watch itself failed: the next write reports the pipe's state, as without a watch. */
    @Override
    public void failed(IOException error) {
    }

    @Override
    public void cancelled() {
    }
}

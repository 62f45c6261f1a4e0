package asyncio.spi.process;

import asyncio.spi.LoopSocket;
import java.nio.channels.ByteChannel;

/**
 * The parent's end of a pipe to a child process that a loop module made itself (a raw,
 * non-blocking descriptor): the poller watches it as a {@link LoopSocket}, and the pipe
 * transports read or write it as a channel ({@code read} returns 0 when nothing is there and
 * -1 at EOF; {@code write} returns 0 when the pipe is full). Only one direction works on a
 * given end, as the kernel decides.
 */
public interface PipeEnd extends LoopSocket, ByteChannel {
    /** Whether the descriptor is still open. */
    @Override
    boolean isOpen();

    /**
     * Whether the poller reports the reader's going away on a write end watched for reading
     * (epoll does, with {@code EPOLLERR}): then the stdin transport learns of it without writing,
     * as asyncio's Unix write pipe transport does.
     */
    boolean reportsReaderGone();
}

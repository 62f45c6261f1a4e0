package asyncio.spi.proactor;

import java.io.IOException;

/**
 * How an operation submitted to a {@link CompletionPort} ends, told on the loop thread exactly
 * once: it completed, it failed, or it was cancelled (by {@link Operation#cancel()} or because its
 * socket was closed, which the kernels report as an aborted operation). A transport implements it
 * once per kind of operation and reuses it, so a completion allocates nothing here.
 */
public interface Completion<T> {
    /** The operation completed with {@code result} (bytes transferred, accepted socket, sender...). */
    void completed(T result);

    /** The operation failed; {@code error} says why (reset, refused, unreachable...). */
    void failed(IOException error);

    /** The operation was aborted before it did anything: its buffer was not touched. */
    void cancelled();
}

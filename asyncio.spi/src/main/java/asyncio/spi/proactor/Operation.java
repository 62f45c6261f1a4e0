package asyncio.spi.proactor;

/**
 * An operation a {@link CompletionPort} has accepted and not yet completed. Its buffer belongs to
 * the kernel until the {@link Completion} arrives, whatever happens in between.
 */
public interface Operation {
    /**
     * Asks the kernel to abort the operation (CancelIoEx, IORING_OP_ASYNC_CANCEL). Its completion
     * still arrives later, on the loop thread: {@link Completion#cancelled()} when the abort won,
     * or its real outcome when the operation finished first (bytes received after a cancel are
     * reported, never lost). Idempotent; a no-op once completed.
     */
    void cancel();
}

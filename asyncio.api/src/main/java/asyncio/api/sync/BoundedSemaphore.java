package asyncio.api.sync;

/**
 * A {@link Semaphore} that refuses to be released above its initial value. Mirrors
 * {@code asyncio.BoundedSemaphore}.
 */
public class BoundedSemaphore extends Semaphore {
    private final int boundValue;

    /** A bounded semaphore with one permit. Mirrors {@code asyncio.BoundedSemaphore()}. */
    public BoundedSemaphore() {
        this(1);
    }

    /** A bounded semaphore with {@code value} permits, at most. Mirrors {@code asyncio.BoundedSemaphore(value)}. */
    public BoundedSemaphore(int value) {
        super(value);
        this.boundValue = value;
    }

    /**
     * Returns a permit; raises {@link IllegalArgumentException} (Python's {@code ValueError}) if
     * that would exceed the initial value. Mirrors {@code BoundedSemaphore.release()}.
     */
    @Override
    public void release() {
        if (value() >= boundValue) {
            throw new IllegalArgumentException("BoundedSemaphore released too many times");
        }
        super.release();
    }
}

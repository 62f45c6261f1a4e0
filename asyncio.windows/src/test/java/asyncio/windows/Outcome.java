package asyncio.windows;

import asyncio.spi.proactor.Completion;
import java.io.IOException;

/**
 * Records what a completion said, in fields the sequence tests read. done is volatile and set last:
 * a waiter thread may complete an exit wait while the test thread polls it.
 */
final class Outcome<T> implements Completion<T> {
    T value;
    IOException error;
    boolean cancelled;
    volatile boolean completed;
    volatile boolean done;

    @Override
    public void completed(T result) {
        value = result;
        completed = true;
        done = true;
    }

    @Override
    public void failed(IOException failure) {
        error = failure;
        done = true;
    }

    @Override
    public void cancelled() {
        cancelled = true;
        done = true;
    }
}

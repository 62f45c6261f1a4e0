package asyncio.api;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The futures of {@link Asyncio#asCompleted} in completion order. {@link #next()} gives a future
 * of the next outcome (await it); {@link #awaitNext()} suspends and gives the original future.
 * Mirrors the iterator {@code asyncio.as_completed()} returns.
 *
 * <p>As in asyncio, an outcome goes to the awaitable that is <em>awaited</em> first, not to the one
 * {@code next()} returned first. Awaitables not awaited directly (given to {@code gather} or
 * {@code wait}, say) take the outcomes, from the next loop iteration on, in the order they were
 * handed out, as the tasks asyncio would wrap them in would.
 *
 * @param <T> the type of the futures' results
 */
public final class AsCompleted<T> implements Iterable<Future<T>>, Iterator<Future<T>> {
    private final EventLoop loop;
    private final Set<Future<T>> todo;
    /** Finished futures nobody has taken yet, in completion order. */
    private final ArrayDeque<Future<T>> finished = new ArrayDeque<>();
    /** Awaitables being awaited, in the order their awaits began: they are served first. */
    private final ArrayDeque<Slot<?>> claimed = new ArrayDeque<>();
    /** Awaitables handed out but not awaited yet, in the order they were handed out. */
    private final ArrayDeque<Slot<?>> unclaimed = new ArrayDeque<>();
    private final TimerHandle timer;
    private final Consumer<Future<T>> completion = this::onCompletion;
    private int left;
    private boolean timedOut;
    private boolean drainScheduled;

    AsCompleted(Collection<? extends Future<T>> futures, Double timeout) {
        this.todo = new LinkedHashSet<>(futures);
        this.left = todo.size();
        this.loop = todo.isEmpty() ? Asyncio.getEventLoop() : todo.iterator().next().getLoop();
        for (Future<T> future : todo) {
            future.addDoneCallback(completion);
        }
        this.timer = timeout == null || todo.isEmpty() ? null : loop.callLater(timeout, this::onTimeout);
    }

    @Override
    public Iterator<Future<T>> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        return left > 0;
    }

    /** A future with the outcome of the next future to finish; raises {@link TimeoutError} after the timeout. */
    @Override
    public Future<T> next() {
        return handOut(new Slot<T>() {
            @Override
            void deliver(Future<T> done) {
                if (done.cancelled()) {
                    cancel(cancelMessageOf(done));
                } else if (done.exception() != null) {
                    setException(done.exception());
                } else {
                    setResult(done.result());
                }
            }
        });
    }

    /** Suspends until the next future finishes and returns it (the original object). Mirrors {@code async for}. */
    public Future<T> awaitNext() {
        return Asyncio.await(handOut(new Slot<Future<T>>() {
            @Override
            void deliver(Future<T> done) {
                setResult(done);
            }
        }));
    }

    private <R> Slot<R> handOut(Slot<R> slot) {
        if (left <= 0) {
            throw new NoSuchElementException("as_completed: every future was already returned");
        }
        left--;
        unclaimed.add(slot);
        if (!finished.isEmpty() || timedOut) {
            scheduleDrain();
        }
        return slot;
    }

    private void onCompletion(Future<T> future) {
        if (!todo.remove(future)) {
            return;
        }
        finished.add(future);
        Slot<?> slot = pollPending(claimed);
        if (slot != null) {
            slot.deliver(finished.poll());
        } else if (!unclaimed.isEmpty()) {
            scheduleDrain();
        }
        if (todo.isEmpty() && timer != null) {
            timer.cancel();
        }
    }

    /**
     * Awaitables nobody awaits by the next iteration take the outcomes in the order they were handed
     * out, as the tasks {@code gather} would wrap them in would in asyncio.
     */
    private void scheduleDrain() {
        if (!drainScheduled) {
            drainScheduled = true;
            loop.callSoon(this::drain);
        }
    }

    private void drain() {
        drainScheduled = false;
        while (!finished.isEmpty() || timedOut) {
            Slot<?> slot = pollPending(unclaimed);
            if (slot == null) {
                return;
            }
            if (!finished.isEmpty()) {
                slot.deliver(finished.poll());
            } else {
                slot.setException(new TimeoutError());
            }
        }
    }

    private Slot<?> pollPending(ArrayDeque<Slot<?>> queue) {
        Slot<?> slot;
        while ((slot = queue.poll()) != null) {
            // A slot whose awaiting task was cancelled takes nothing.
            if (!slot.done()) {
                return slot;
            }
        }
        return null;
    }

    private void onTimeout() {
        for (Future<T> future : todo) {
            future.removeDoneCallback(completion);
        }
        todo.clear();
        timedOut = true;
        Slot<?> slot;
        // Slots still awaited found nothing finished: the rest of the outcomes are timeouts.
        while ((slot = pollPending(claimed)) != null) {
            slot.setException(new TimeoutError());
        }
        drain();
    }

    private static String cancelMessageOf(Future<?> cancelled) {
        try {
            cancelled.result();
            return null;
        } catch (CancelledError error) {
            return error.getMessage();
        }
    }

    /** A future whose outcome is decided only when it is awaited; {@link Asyncio#await} tells it. */
    interface AwaitedLazily {
        /** Called as an await of this future begins. */
        void awaiting();
    }

    /** One awaitable of the iterator: it takes the next outcome when it is first awaited. */
    private abstract class Slot<R> extends Future<R> implements AwaitedLazily {
        private boolean claimedAlready;

        Slot() {
            super(loop);
        }

        /** Copies the outcome of the finished future {@code done} into this slot. */
        abstract void deliver(Future<T> done);

        @Override
        public void awaiting() {
            if (claimedAlready || done()) {
                return;
            }
            claimedAlready = true;
            unclaimed.remove(this);
            if (!finished.isEmpty()) {
                deliver(finished.poll());
            } else if (timedOut) {
                setException(new TimeoutError());
            } else {
                claimed.add(this);
            }
        }
    }
}

package asyncio.api;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The futures of {@link Asyncio#asCompleted} in completion order. {@link #next()} gives a future
 * of the next outcome (await it); {@link #awaitNext()} suspends and gives the original future.
 * Mirrors the iterator {@code asyncio.as_completed()} returns.
 *
 * @param <T> the type of the futures' results
 */
public final class AsCompleted<T> implements Iterable<Future<T>>, Iterator<Future<T>> {
    private final EventLoop loop;
    private final Set<Future<T>> todo;
    private final ArrayDeque<Future<T>> finished = new ArrayDeque<>();
    private final ArrayDeque<Future<Future<T>>> waiting = new ArrayDeque<>();
    private final TimerHandle timer;
    private final java.util.function.Consumer<Future<T>> completion = this::onCompletion;
    private int left;
    private boolean timedOut;

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

    /** A future with the outcome of the next future to finish. */
    @Override
    public Future<T> next() {
        Future<Future<T>> original = nextOriginal();
        Future<T> outcome = loop.createFuture();
        original.addDoneCallback(done -> {
            if (outcome.done()) {
                return;
            }
            if (done.exception() != null) {
                outcome.setException(done.exception());
                return;
            }
            Future<T> finishedFuture = done.result();
            if (finishedFuture.cancelled()) {
                outcome.cancel();
            } else if (finishedFuture.exception() != null) {
                outcome.setException(finishedFuture.exception());
            } else {
                outcome.setResult(finishedFuture.result());
            }
        });
        return outcome;
    }

    /** Suspends until the next future finishes and returns it (the original object). */
    public Future<T> awaitNext() {
        return Asyncio.await(nextOriginal());
    }

    private Future<Future<T>> nextOriginal() {
        if (left <= 0) {
            throw new NoSuchElementException("as_completed: every future was already returned");
        }
        left--;
        Future<Future<T>> slot = loop.createFuture();
        if (!finished.isEmpty()) {
            slot.setResult(finished.poll());
        } else if (timedOut) {
            slot.setException(new TimeoutError());
        } else {
            waiting.add(slot);
        }
        return slot;
    }

    private void onCompletion(Future<T> future) {
        if (!todo.remove(future)) {
            return;
        }
        Future<Future<T>> slot = waiting.poll();
        if (slot != null) {
            slot.setResult(future);
        } else {
            finished.add(future);
        }
        if (todo.isEmpty() && timer != null) {
            timer.cancel();
        }
    }

    private void onTimeout() {
        for (Future<T> future : todo) {
            future.removeDoneCallback(completion);
        }
        todo.clear();
        timedOut = true;
        Future<Future<T>> slot;
        while ((slot = waiting.poll()) != null) {
            slot.setException(new TimeoutError());
        }
    }
}

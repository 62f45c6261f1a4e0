package asyncio.api.queues;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.internal.LoopBound;
import asyncio.api.sync.Event;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A FIFO queue between producer and consumer tasks, optionally bounded, with a count of
 * unfinished items for {@link #join()}. Mirrors {@code asyncio.Queue}. Items may not be null.
 *
 * @param <T> the type of the items
 */
public class Queue<T> {
    private final LoopBound bound = new LoopBound();
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private final Event finished = new Event();
    private final java.util.Queue<T> items;
    private final int maxsize;
    private int unfinishedTasks;
    private boolean isShutdown;

    /** An unbounded queue. Mirrors {@code asyncio.Queue()}. */
    public Queue() {
        this(0);
    }

    /** A queue of at most {@code maxsize} items; 0 or less is unbounded. Mirrors {@code asyncio.Queue(maxsize)}. */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /**
     * A queue that keeps its items in {@code items}, whose {@code offer} and {@code poll} decide the
     * order. The Java counterpart of overriding {@code _init}, {@code _put} and {@code _get}.
     */
    protected Queue(int maxsize, java.util.Queue<T> items) {
        this.maxsize = maxsize;
        this.items = Objects.requireNonNull(items, "items");
        finished.set();
    }

    /** The number of items in the queue. Mirrors {@code Queue.qsize()}. */
    public int qsize() {
        return items.size();
    }

    /** The most items the queue holds; 0 or less is unbounded. Mirrors {@code Queue.maxsize}. */
    public int maxsize() {
        return maxsize;
    }

    /** Whether the queue has no items. Mirrors {@code Queue.empty()}. */
    public boolean empty() {
        return items.isEmpty();
    }

    /** Whether the queue holds {@code maxsize} items; never for an unbounded queue. Mirrors {@code Queue.full()}. */
    public boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Puts {@code item}, waiting while the queue is full; raises {@link QueueShutDown} if the queue
     * is shut down. Mirrors {@code Queue.put()}.
     */
    public void put(T item) {
        while (full()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            awaitTurn(putters);
        }
        putNowait(item);
    }

    /**
     * Puts {@code item} at once; raises {@link QueueFull} if the queue is full and
     * {@link QueueShutDown} if it is shut down. Mirrors {@code Queue.put_nowait()}.
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        if (isShutdown) {
            throw new QueueShutDown();
        }
        if (full()) {
            throw new QueueFull();
        }
        items.add(item);
        unfinishedTasks++;
        finished.clear();
        wakeupNext(getters);
    }

    /**
     * Removes and returns the next item, waiting while the queue is empty; raises
     * {@link QueueShutDown} if the queue is shut down and empty. Mirrors {@code Queue.get()}.
     */
    public T get() {
        while (empty()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            awaitTurn(getters);
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item at once; raises {@link QueueEmpty} if there is none, or
     * {@link QueueShutDown} if the queue is also shut down. Mirrors {@code Queue.get_nowait()}.
     */
    public T getNowait() {
        if (empty()) {
            throw isShutdown ? new QueueShutDown() : new QueueEmpty();
        }
        T item = items.remove();
        wakeupNext(putters);
        return item;
    }

    /**
     * Marks one item taken with {@link #get()} as processed; raises {@link IllegalArgumentException}
     * (Python's {@code ValueError}) if called more often than items were put. Mirrors {@code Queue.task_done()}.
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalArgumentException("task_done() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /** Waits until every item put has been marked done with {@link #taskDone()}. Mirrors {@code Queue.join()}. */
    public void join() {
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /** Shuts the queue down without discarding its items. Mirrors {@code Queue.shutdown()}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down: puts raise {@link QueueShutDown}, and so do gets once the queue is
     * empty; {@code immediate} empties it first, marking each item done. Every waiting
     * {@code put} and {@code get} wakes. Mirrors {@code Queue.shutdown(immediate)}.
     */
    public void shutdown(boolean immediate) {
        isShutdown = true;
        if (immediate) {
            while (!items.isEmpty()) {
                items.remove();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        // Every waiter re-checks the queue and raises QueueShutDown where it must.
        wakeAll(getters);
        wakeAll(putters);
    }

    /** Waits in {@code waiters} for a wake-up; a waiter that cannot use its wake-up passes it on. */
    private void awaitTurn(ArrayDeque<Future<Void>> waiters) {
        Future<Void> waiter = bound.loop(this).createFuture();
        waiters.add(waiter);
        try {
            Asyncio.await(waiter);
        } catch (Throwable error) {
            waiter.cancel();
            waiters.remove(waiter);
            if (!waiter.cancelled() && stillUsable(waiters)) {
                wakeupNext(waiters);
            }
            throw error;
        }
    }

    /** Whether what the wake-up announced (a free slot, an item) is still there for someone else. */
    private boolean stillUsable(ArrayDeque<Future<Void>> waiters) {
        return waiters == putters ? !full() : !empty();
    }

    private static void wakeupNext(ArrayDeque<Future<Void>> waiters) {
        Future<Void> waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            if (!waiter.done()) {
                waiter.setResult(null);
                return;
            }
        }
    }

    private static void wakeAll(ArrayDeque<Future<Void>> waiters) {
        Future<Void> waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("<").append(getClass().getSimpleName()).append(" maxsize=").append(maxsize);
        if (!items.isEmpty()) {
            text.append(" _queue=").append(items);
        }
        if (!getters.isEmpty()) {
            text.append(" _getters[").append(getters.size()).append(']');
        }
        if (!putters.isEmpty()) {
            text.append(" _putters[").append(putters.size()).append(']');
        }
        if (unfinishedTasks != 0) {
            text.append(" tasks=").append(unfinishedTasks);
        }
        if (isShutdown) {
            text.append(" shutdown");
        }
        return text.append('>').toString();
    }
}

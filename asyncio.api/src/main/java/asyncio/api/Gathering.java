package asyncio.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The future {@link Asyncio#gather} returns: cancelling it cancels every child, and it finishes
 * with all results in argument order, or with the first failure. Mirrors {@code _GatheringFuture}.
 */
final class Gathering<T> extends Future<List<T>> {
    private final List<? extends Future<T>> children;
    private final boolean returnExceptions;
    private int finished;
    private int distinct;
    private boolean cancelRequested;
    /** The task that called gather, shown as awaiting each child in the call graph (asyncio 3.14). */
    private Task<?> caller;

    private Gathering(EventLoop loop, List<? extends Future<T>> children, boolean returnExceptions) {
        super(loop);
        this.children = children;
        this.returnExceptions = returnExceptions;
    }

    static <T> Future<List<T>> of(List<? extends Future<T>> children, boolean returnExceptions) {
        if (children.isEmpty()) {
            Future<List<T>> empty = Asyncio.getEventLoop().createFuture();
            empty.setResult(new ArrayList<>());
            return empty;
        }
        EventLoop loop = children.get(0).getLoop();
        for (Future<T> child : children) {
            if (child.getLoop() != loop) {
                throw new IllegalArgumentException("futures are tied to different event loops: " + child);
            }
        }
        Gathering<T> outer = new Gathering<>(loop, List.copyOf(children), returnExceptions);
        outer.caller = Task.current();
        // The same future given twice is watched once, as asyncio does.
        Map<Future<T>, Boolean> seen = new IdentityHashMap<>();
        for (Future<T> child : outer.children) {
            if (seen.put(child, Boolean.TRUE) == null) {
                outer.distinct++;
                if (outer.caller != null && !child.done()) {
                    child.addAwaitedBy(outer.caller);
                }
                child.addDoneCallback(outer::childDone);
            }
        }
        return outer;
    }

    @Override
    public boolean cancel(String message) {
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<T> child : children) {
            if (child.cancel(message)) {
                any = true;
            }
        }
        if (any) {
            // The outer future finishes when the children report back.
            cancelRequested = true;
        }
        return any;
    }

    private void childDone(Future<T> child) {
        if (caller != null) {
            child.discardAwaitedBy(caller);
        }
        if (done()) {
            if (!child.cancelled()) {
                child.exception();
            }
            return;
        }
        if (!returnExceptions) {
            if (child.cancelled()) {
                fail(new CancelledError(cancelMessageOf(child)));
                return;
            }
            Throwable error = child.exception();
            if (error != null) {
                fail(error);
                return;
            }
        }
        finished++;
        if (finished < distinct) {
            return;
        }
        List<T> results = collect();
        if (cancelRequested) {
            fail(new CancelledError(firstCancelMessage()));
        } else {
            complete(Collections.unmodifiableList(results));
        }
    }

    @SuppressWarnings("unchecked")
    private List<T> collect() {
        List<T> results = new ArrayList<>(children.size());
        for (Future<T> child : children) {
            if (child.cancelled()) {
                results.add((T) new CancelledError(cancelMessageOf(child)));
            } else if (child.exception() != null) {
                results.add((T) child.exception());
            } else {
                results.add(child.result());
            }
        }
        return results;
    }

    private String firstCancelMessage() {
        for (Future<T> child : children) {
            if (child.cancelled()) {
                return cancelMessageOf(child);
            }
        }
        return null;
    }

    private static String cancelMessageOf(Future<?> child) {
        try {
            child.result();
            return null;
        } catch (CancelledError cancelled) {
            return cancelled.getMessage();
        }
    }

    @Override
    public String toString() {
        return asyncio.api.internal.RecursiveRepr.of(this,
                () -> "<_GatheringFuture " + describeState() + " children=" + children.size() + ">");
    }
}

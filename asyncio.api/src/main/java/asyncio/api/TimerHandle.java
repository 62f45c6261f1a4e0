package asyncio.api;

import java.util.Objects;

/**
 * A callback scheduled for a point in loop time. Mirrors {@code asyncio.TimerHandle}. Timers with
 * equal times run in the order they were scheduled.
 */
public class TimerHandle extends Handle implements Comparable<TimerHandle> {
    private final double when;
    private final long sequence;

    /** A timer due at {@code when} (loop time, seconds); {@code sequence} breaks ties in scheduling order. */
    public TimerHandle(double when, long sequence, Runnable callback, EventLoop loop, Throwable sourceTraceback) {
        super(callback, loop, sourceTraceback);
        this.when = when;
        this.sequence = sequence;
    }

    /** The loop time at which the callback is due. Mirrors {@code TimerHandle.when()}. */
    public double when() {
        return when;
    }

    @Override
    public void cancel() {
        if (!cancelled()) {
            super.cancel();
            onCancel();
        }
    }

    /** Lets a loop count cancelled timers so it can compact its heap; called once, on the first cancel. */
    protected void onCancel() {
    }

    @Override
    public int compareTo(TimerHandle other) {
        int byTime = Double.compare(when, other.when);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }

    /**
     * Timers are equal when they are due at the same time, run the same callback and are both
     * cancelled or both not (two cancelled timers have let go of their callbacks, so only their
     * times matter). Mirrors {@code TimerHandle.__eq__}.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof TimerHandle that
                && Double.compare(when, that.when) == 0
                && Objects.equals(callback(), that.callback())
                && cancelled() == that.cancelled();
    }

    /** Hashes by the due time only, so equal timers hash alike. Mirrors {@code TimerHandle.__hash__}. */
    @Override
    public int hashCode() {
        return Double.hashCode(when);
    }

    @Override
    public String toString() {
        String text = describeCallback();
        return "<TimerHandle" + (cancelled() ? " cancelled" : "") + " when=" + when + (text.isEmpty() ? "" : " " + text) + ">";
    }
}

package asyncio.api;

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

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        String text = describeCallback();
        return "<TimerHandle" + (cancelled() ? " cancelled" : "") + " when=" + when + (text.isEmpty() ? "" : " " + text) + ">";
    }
}

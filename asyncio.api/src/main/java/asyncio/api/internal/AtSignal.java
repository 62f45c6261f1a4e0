package asyncio.api.internal;

/**
 * A signal callback with a part that acts at the signal itself: a loop runs {@link #atSignal()}
 * on the JVM's signal thread the moment the signal arrives, then schedules {@link #run()} on the
 * loop as for any signal callback. Python runs {@code asyncio.Runner}'s SIGINT handler between
 * two bytecodes of whatever the main thread runs, so what it decides depends on the state at
 * that moment, not on when the loop gets to a callback; {@code Runner} needs the same.
 */
public interface AtSignal extends Runnable {
    /** Runs on the JVM's signal thread: must be quick and thread-safe, and must not touch the loop. */
    void atSignal();
}

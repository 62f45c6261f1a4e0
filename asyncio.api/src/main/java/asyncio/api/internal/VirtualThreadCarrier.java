package asyncio.api.internal;

import asyncio.api.EventLoop;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs each task on its own virtual thread with a strict hand-off: the resumer parks until the
 * strand suspends or ends, and the strand parks until it is resumed, so the loop and at most one
 * task run at once. Correct on any JDK 21+, but each hand-off costs microseconds.
 */
final class VirtualThreadCarrier implements Carrier {
    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public Strand newStrand(String name, Runnable body) {
        return new VirtualThreadStrand(name, body);
    }

    private static final class VirtualThreadStrand implements Strand {
        private final Thread thread;
        private volatile Thread resumer;
        private volatile boolean running;
        private volatile boolean done;
        private boolean started;
        private EventLoop initialLoop;
        private Object initialTask;

        VirtualThreadStrand(String name, Runnable body) {
            this.thread = Thread.ofVirtual().name(name).unstarted(() -> runBody(body));
        }

        private void runBody(Runnable body) {
            // A strand serves exactly one task on one loop: give its thread that context once.
            RunningLoop.set(initialLoop);
            RunningLoop.swapCurrentTask(initialTask);
            try {
                body.run();
            } finally {
                done = true;
                running = false;
                LockSupport.unpark(resumer);
            }
        }

        @Override
        public void resume() {
            resumer = Thread.currentThread();
            running = true;
            if (!started) {
                started = true;
                initialLoop = RunningLoop.get();
                initialTask = RunningLoop.currentTask();
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
            parkWhile(true);
        }

        @Override
        public void suspend() {
            running = false;
            LockSupport.unpark(resumer);
            parkWhile(false);
        }

        private void parkWhile(boolean whileRunning) {
            boolean interrupted = false;
            while (running == whileRunning && !(whileRunning && done)) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            return thread.getStackTrace();
        }
    }
}

package asyncio.windows;

import static asyncio.windows.ffi.ProcessApi.*;
import static asyncio.windows.ffi.WinApi.INFINITE;

import asyncio.windows.ffi.Win32Processes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for the exit of the loop's children without a thread per child, and posts each exit to
 * the completion port as the completion of that child's wait. Each waiter thread sits in one
 * {@code WaitForMultipleObjects} on a doorbell event and up to 63 process handles
 * (MAXIMUM_WAIT_OBJECTS is 64); a new wait or a cancel rings the doorbell so the thread waits
 * again on the new set. CPython uses {@code RegisterWaitForSingleObject}, whose callback runs on a
 * thread of the Windows pool; here that callback would enter the JVM on a thread it never saw,
 * through a jnr-ffi closure, which is the riskiest thing a binding can do (docs/decisions.md), so
 * the waiting threads are Java's own. A new thread starts only when every thread has 63 children.
 */
final class ExitWaiters {
    static final int PER_THREAD = MAXIMUM_WAIT_OBJECTS - 1;

    /** Where an exit (or a cancelled wait) goes: the port's post of the wait's OVERLAPPED. */
    interface Poster {
        void post(long overlapped, boolean cancelled);
    }

    private final Win32Processes processes;
    private final Poster poster;
    private final List<Group> groups = new ArrayList<>();
    private boolean closed;

    ExitWaiters(Win32Processes processes, Poster poster) {
        this.processes = processes;
        this.poster = poster;
    }

    /** Waits for {@code process} to be signalled (exited); then {@code overlapped} is posted. */
    synchronized void add(long process, long overlapped) {
        if (closed) {
            throw new IllegalStateException("the exit waiters are closed");
        }
        for (Group group : groups) {
            if (group.add(process, overlapped)) {
                return;
            }
        }
        Group group = new Group(groups.size());
        groups.add(group);
        group.add(process, overlapped);
        group.start();
    }

    /**
     * Stops the wait that posts {@code overlapped}, posting it as cancelled; returns once no
     * thread waits on its process handle any more (the caller may close it then). False when the
     * exit was already posted.
     */
    boolean cancel(long overlapped) {
        List<Group> all;
        synchronized (this) {
            all = List.copyOf(groups);
        }
        for (Group group : all) {
            if (group.cancel(overlapped)) {
                return true;
            }
        }
        return false;
    }

    /** Threads waiting, for tests. */
    synchronized int threads() {
        return groups.size();
    }

    /** Stops every thread (their waits must have completed or been cancelled) and waits for them to close their events. */
    void close() {
        List<Group> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(groups);
        }
        for (Group group : all) {
            group.shutdown();
        }
        for (Group group : all) {
            try {
                // Each closes its doorbell on its way out; a thread still in a wait after this is a bug, not a hang.
                group.join(1000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One waiter thread: its doorbell and up to {@link #PER_THREAD} children. */
    private final class Group extends Thread {
        private final long doorbell;
        private final long[] handles = new long[PER_THREAD];
        private final long[] overlapped = new long[PER_THREAD];
        private final ByteBuffer waitList = IocpCompletionPort.direct(8 * MAXIMUM_WAIT_OBJECTS);
        private final long waitListAddress = IocpCompletionPort.address(waitList);
        private int count;
        /** Sets of handles waited on so far: a cancel waits for the next one. */
        private long snapshots;
        private boolean stopping;

        Group(int index) {
            super("asyncio-windows-exit-waiter-" + index);
            setDaemon(true);
            doorbell = processes.CreateEventW(0, 0, 0, 0);
            if (doorbell == 0) {
                throw new IllegalStateException(WinErrors.exception(processes.lastError(), "CreateEventW"));
            }
        }

        synchronized boolean add(long process, long wait) {
            if (count == PER_THREAD || stopping) {
                return false;
            }
            handles[count] = process;
            overlapped[count++] = wait;
            processes.SetEvent(doorbell);
            return true;
        }

        boolean cancel(long wait) {
            synchronized (this) {
                int at = indexOf(wait);
                if (at < 0) {
                    return false;
                }
                remove(at);
                poster.post(wait, true);
                long seen = snapshots;
                processes.SetEvent(doorbell);
                // The handle may be closed next: only once this thread waits without it.
                while (snapshots == seen && isAlive()) {
                    try {
                        wait(100);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                return true;
            }
        }

        synchronized void shutdown() {
            stopping = true;
            processes.SetEvent(doorbell);
            notifyAll();
        }

        private int indexOf(long wait) {
            for (int i = 0; i < count; i++) {
                if (overlapped[i] == wait) {
                    return i;
                }
            }
            return -1;
        }

        private void remove(int at) {
            count--;
            handles[at] = handles[count];
            overlapped[at] = overlapped[count];
        }

        @Override
        public void run() {
            long[] waitingOn = new long[PER_THREAD];
            while (true) {
                int n;
                synchronized (this) {
                    if (stopping) {
                        break;
                    }
                    n = count;
                    waitList.putLong(0, doorbell);
                    for (int i = 0; i < n; i++) {
                        waitList.putLong(8 * (i + 1), handles[i]);
                        waitingOn[i] = handles[i];
                    }
                    snapshots++;
                    notifyAll();
                }
                int result = processes.WaitForMultipleObjects(n + 1, waitListAddress, 0, INFINITE);
                if (result == WAIT_FAILED) {
                    // Only a bad handle fails a wait (a bug): its waits end as cancelled rather than
                    // hang; if the doorbell alone fails, this thread is of no use and stops.
                    failAll();
                    if (n == 0) {
                        synchronized (this) {
                            stopping = true;
                            notifyAll();
                        }
                        break;
                    }
                    continue;
                }
                int index = result - WAIT_OBJECT_0 - 1;
                if (index >= 0 && index < n) {
                    exited(waitingOn[index]);
                }
            }
            processes.CloseHandle(doorbell);
        }

        /** The child exited: its wait completes (unless a cancel took it meanwhile). */
        private synchronized void exited(long process) {
            for (int i = 0; i < count; i++) {
                if (handles[i] == process) {
                    long wait = overlapped[i];
                    remove(i);
                    poster.post(wait, false);
                    return;
                }
            }
        }

        /** A failed wait: every wait of this thread completes as cancelled rather than hang. */
        private synchronized void failAll() {
            while (count > 0) {
                long wait = overlapped[count - 1];
                count--;
                poster.post(wait, true);
            }
        }
    }
}

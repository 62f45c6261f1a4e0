package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.spi.proactor.Completion;
import asyncio.windows.ffi.Win32;
import asyncio.windows.ffi.Win32Processes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The Win32 calls of a subprocess (spawn over named pipes with a handle list of the child's ends, exit wait, a line each way, EOF, exit
 * code, every handle closed) made by {@link WindowsProcess}, {@link ExitWaiters} and the port on
 * the scripted {@link FakeProcesses}, compared with those of process_sequence.c, each of whose
 * steps was checked against Wine's kernel32 (process-sequence.txt). Only the loop thread's calls
 * are compared: the waiter thread's interleave with them as the scheduler decides, in C as here.
 */
class ProcessSequenceTest {
    @Test
    void aChildOverNamedPipesMakesTheCallsWineWasCheckedWith() throws IOException {
        FakeWinsock winsock = new FakeWinsock();
        FakeProcesses fake = new FakeProcesses(winsock);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Thread loop = Thread.currentThread();
        Win32 win32 = recorded(Win32.class, FakeProcesses.synchronizedWinsock(winsock), calls, loop);
        Win32Processes processes = recorded(Win32Processes.class, fake, calls, loop);

        IocpCompletionPort port = new IocpCompletionPort(win32);
        port.processes(processes);
        WindowsProcess child = WindowsProcess.spawn(port, processes, List.of("C:\\tools\\child.exe", "child"),
                SubprocessOptions.pipes().stderr(Stdio.STDOUT));
        assertEquals("C:\\tools\\child.exe child", fake.commandLines.get(0));
        assertEquals(2, fake.lastInherited.size(), "the child inherits its stdin and stdout ends (stderr is stdout's)");
        Outcome<Void> exited = new Outcome<>();
        port.waitForExit(child, exited);

        Outcome<Integer> written = new Outcome<>();
        port.write(child.pipe(0), ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), written);
        ByteBuffer answer = ByteBuffer.allocate(64);
        Outcome<Integer> read = new Outcome<>();
        port.read(child.pipe(1), answer, read);
        FakeProcesses.Child played = fake.child(0);
        assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), played.readStdin());
        played.writeStdout("got:ping".getBytes(StandardCharsets.US_ASCII));
        run(port, winsock, () -> written.done && read.done);
        assertEquals(4, written.value);
        assertEquals("got:ping", new String(answer.array(), 0, read.value, StandardCharsets.US_ASCII));

        // stdin closed, the child goes: EOF on stdout (ERROR_BROKEN_PIPE), then its exit
        Outcome<Integer> eof = new Outcome<>();
        port.read(child.pipe(1), ByteBuffer.allocate(64), eof);
        child.pipe(0).close();
        assertTrue(winsock.peerClosed(played.stdin), "the child sees EOF on its stdin");
        played.exit(3);
        run(port, winsock, () -> eof.done);
        assertEquals(0, eof.value, "EOF");
        run(port, winsock, () -> exited.done);
        assertTrue(exited.completed, "the exit wait completed, not cancelled");
        assertEquals(3, child.returncode());
        child.close();
        child.pipe(1).close();
        port.close();

        assertEquals(List.of(), fake.problems);
        assertEquals(java.util.Set.of(), fake.openHandles(), "every handle closed");
        assertEquals(windowsTrace(), collapse(calls));
    }

    /** Completion in a field, as CallSequenceTest's. */
    static final class Outcome<T> implements Completion<T> {
        volatile boolean done;
        volatile boolean completed;
        T value;

        @Override
        public void completed(T result) {
            value = result;
            completed = true;
            done = true;
        }

        @Override
        public void failed(IOException failure) {
            done = true;
        }

        @Override
        public void cancelled() {
            done = true;
        }
    }

    /**
     * poll and dispatch until {@code done}, at least once (as the C program's drain waits once);
     * between rounds it waits, bounded, for a post from a waiter thread rather than spinning.
     */
    static void run(IocpCompletionPort port, FakeWinsock winsock, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            port.poll(0);
            port.dispatch((completion, failure) -> {
                throw failure;
            });
            if (!done.getAsBoolean()) {
                synchronized (winsock) {
                    try {
                        winsock.wait(50); // notified by any call through the synchronized Win32, the post included
                    } catch (InterruptedException interrupted) {
                        throw new AssertionError(interrupted);
                    }
                }
            }
        } while (!done.getAsBoolean() && System.nanoTime() < deadline);
        assertTrue(done.getAsBoolean(), "the completions came");
    }

    /** Records {@code target}'s calls made on {@code thread}, in the C program's trace format. */
    @SuppressWarnings("unchecked")
    static <T> T recorded(Class<T> type, T target, List<String> calls, Thread thread) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (!method.getName().equals("lastError") && Thread.currentThread() == thread) {
                calls.add(describe(method.getName(), args));
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException failed) {
                throw failed.getCause();
            }
        });
    }

    private static String describe(String name, Object[] args) {
        return switch (name) {
            case "WSAStartup" -> name + " version=0x" + Integer.toHexString((Short) args[0]);
            case "CreateIoCompletionPort" -> name + ((Long) args[0] == -1L ? " new" : " associate key=" + args[2]);
            case "SetFileCompletionNotificationModes" -> name + " flags=" + args[1];
            case "PostQueuedCompletionStatus" -> name + " key=" + args[2];
            default -> name;
        };
    }

    static List<String> collapse(List<String> calls) {
        List<String> out = new ArrayList<>();
        synchronized (calls) {
            for (String call : calls) {
                boolean wait = call.equals("GetQueuedCompletionStatusEx");
                if (!(wait && !out.isEmpty() && out.get(out.size() - 1).equals(call))) {
                    out.add(call);
                }
            }
        }
        return out;
    }

    private static List<String> windowsTrace() throws IOException {
        try (InputStream in = ProcessSequenceTest.class.getResourceAsStream("process-sequence.txt")) {
            assertTrue(in != null, "process-sequence.txt is missing (src/test/c/run-under-wine.sh makes it)");
            List<String> lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            assertEquals("done", lines.get(lines.size() - 1), "every check of the C program passed under Wine");
            List<String> calls = new ArrayList<>();
            for (String line : lines) {
                if (!line.startsWith("check ") && !line.equals("done") && !line.isBlank()) {
                    calls.add(line);
                }
            }
            return collapse(calls);
        }
    }
}

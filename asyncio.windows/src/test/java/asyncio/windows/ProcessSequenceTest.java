package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.windows.ffi.Win32;
import asyncio.windows.ffi.Win32Processes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        Win32 win32 = CallRecorder.recorded(Win32.class, FakeProcesses.synchronizedWinsock(winsock), calls, loop);
        Win32Processes processes = CallRecorder.recorded(Win32Processes.class, fake, calls, loop);

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
        PortRuns.waiting(port, winsock, () -> written.done && read.done);
        assertEquals(4, written.value);
        assertEquals("got:ping", new String(answer.array(), 0, read.value, StandardCharsets.US_ASCII));

        // stdin closed, the child goes: EOF on stdout (ERROR_BROKEN_PIPE), then its exit
        Outcome<Integer> eof = new Outcome<>();
        port.read(child.pipe(1), ByteBuffer.allocate(64), eof);
        child.pipe(0).close();
        assertTrue(winsock.peerClosed(played.stdin), "the child sees EOF on its stdin");
        played.exit(3);
        PortRuns.waiting(port, winsock, () -> eof.done);
        assertEquals(0, eof.value, "EOF");
        PortRuns.waiting(port, winsock, () -> exited.done);
        assertTrue(exited.completed, "the exit wait completed, not cancelled");
        assertEquals(3, child.returncode());
        child.close();
        child.pipe(1).close();
        port.close();

        assertEquals(List.of(), fake.problems);
        assertEquals(java.util.Set.of(), fake.openHandles(), "every handle closed");
        assertEquals(TraceFiles.calls("process-sequence.txt"), TraceFiles.collapse(calls));
    }
}

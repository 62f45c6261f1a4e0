package asyncio.windows;

import static asyncio.windows.ffi.PipeApi.ERROR_PIPE_BUSY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.windows.ffi.Win32;
import asyncio.windows.ffi.Win32Processes;
import asyncio.windows.ffi.WinApi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Win32 calls of named pipes made by {@link NamedPipes} and the port's connectPipe (what
 * {@link WindowsPipeServer} and createPipeConnection build on) on the scripted {@link FakeNamedPipes},
 * compared with those of named_pipe_sequence.c, each of whose steps was checked against Wine's
 * kernel32 (named-pipe-sequence.txt): an instance waiting through the port, a client, a busy
 * pipe, bytes both ways, EOF as ERROR_BROKEN_PIPE, ERROR_PIPE_CONNECTED with nothing queued, and
 * a waiting instance closed under its ConnectNamedPipe.
 */
class NamedPipeSequenceTest {
    private static final String NAME = "\\\\.\\pipe\\asyncio-java-named-pipe-sequence";

    @Test
    void namedPipesMakeTheCallsWineWasCheckedWith() throws IOException {
        FakeWinsock winsock = new FakeWinsock();
        FakeNamedPipes fake = new FakeNamedPipes(winsock);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Thread thread = Thread.currentThread();
        Win32 win32 = CallRecorder.recorded(Win32.class, winsock, calls, thread);
        Win32Processes processes = CallRecorder.recorded(Win32Processes.class, fake, calls, thread);
        IocpCompletionPort port = new IocpCompletionPort(win32);
        port.processes(processes);

        WindowsSocket server1 = NamedPipes.serverInstance(port, processes, NAME, true);
        Outcome<Void> accepted1 = new Outcome<>();
        port.connectPipe(server1, accepted1);
        assertEquals(1, port.inKernel(), "ConnectNamedPipe is in flight until a client comes");
        WindowsSocket client1 = NamedPipes.connect(port, processes, NAME);
        PortRuns.waiting(port, winsock, () -> accepted1.done);
        assertTrue(accepted1.completed);

        // Every instance is taken: the next client is told to try again.
        assertEquals(WinApi.INVALID_HANDLE_VALUE, NamedPipes.open(processes, WindowsProcess.wide(NAME)));
        assertEquals(ERROR_PIPE_BUSY, processes.lastError());

        assertEquals("ping", transfer(port, winsock, client1, server1, "ping"));
        assertEquals("pong", transfer(port, winsock, server1, client1, "pong"));

        // The client goes: EOF (ERROR_BROKEN_PIPE, read as 0 bytes) for the server's read.
        Outcome<Integer> eof = new Outcome<>();
        port.read(server1, ByteBuffer.allocate(64), eof);
        client1.close();
        PortRuns.waiting(port, winsock, () -> eof.done);
        assertEquals(0, eof.value, "EOF");

        // A client before ConnectNamedPipe: ERROR_PIPE_CONNECTED, done without a completion.
        WindowsSocket server2 = NamedPipes.serverInstance(port, processes, NAME, false);
        WindowsSocket client2 = NamedPipes.connect(port, processes, NAME);
        Outcome<Void> accepted2 = new Outcome<>();
        port.connectPipe(server2, accepted2);
        assertEquals(0, port.inKernel());
        PortRuns.waiting(port, winsock, () -> accepted2.done);
        assertTrue(accepted2.completed);

        // PipeServer.close(): the waiting instance closed under its ConnectNamedPipe, which ends cancelled.
        WindowsSocket server3 = NamedPipes.serverInstance(port, processes, NAME, false);
        Outcome<Void> accepted3 = new Outcome<>();
        port.connectPipe(server3, accepted3);
        server3.close();
        PortRuns.waiting(port, winsock, () -> accepted3.done);
        assertTrue(!accepted3.completed, "aborted, not connected");

        server1.close();
        server2.close();
        client2.close();
        port.close();
        assertEquals(List.of(), fake.problems);
        assertEquals(java.util.Set.of(), fake.openHandles(), "every handle closed");
        assertEquals(TraceFiles.calls("named-pipe-sequence.txt"), TraceFiles.collapse(calls));
    }

    /** WriteFile on {@code from}, ReadFile on {@code to}; what arrived. */
    private static String transfer(IocpCompletionPort port, FakeWinsock winsock, WindowsSocket from, WindowsSocket to,
                                   String text) {
        Outcome<Integer> written = new Outcome<>();
        port.write(from, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), written);
        ByteBuffer got = ByteBuffer.allocate(64);
        Outcome<Integer> read = new Outcome<>();
        port.read(to, got, read);
        PortRuns.waiting(port, winsock, () -> written.done && read.done);
        assertEquals(text.length(), written.value);
        return new String(got.array(), 0, read.value, StandardCharsets.US_ASCII);
    }
}

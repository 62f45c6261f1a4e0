package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Coroutine;
import asyncio.api.FileNotFoundError;
import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.Subprocesses;
import asyncio.spi.proactor.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Subprocesses through the whole Windows loop (asyncio's subprocess API, the proactor's process
 * transport, {@link WindowsProcess}, the exit waiters, the port) on the scripted kernel32 and
 * Winsock: what the child does is played by the test ({@link FakeProcesses.Child}). Proves the
 * Java side's use of the calls, not Windows; every run also checks that no handle is left open
 * and that no waiter thread waited on a closed handle.
 */
class WindowsSubprocessOnFakeTest {
    private final FakeWinsock winsock = new FakeWinsock();
    private final FakeProcesses fake = new FakeProcesses(winsock);

    private <T> T run(Coroutine<T> main) {
        T result = Asyncio.run(main, () -> new WindowsEventLoop(
                WindowsEventLoop.openPort(FakeProcesses.synchronizedWinsock(winsock)), fake));
        assertEquals(List.of(), fake.problems);
        assertEquals(Set.of(), fake.openHandles(), "every handle closed");
        return result;
    }

    /** The child upper-cases its stdin to its stdout and exits 0 once its stdin is closed. */
    private void upperCasingChild() {
        fake.onStdinClosed = child -> {
            String input = new String(child.readStdin(), StandardCharsets.UTF_8);
            child.writeStdout(input.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            child.exit(0);
        };
    }

    @Test
    void communicateFeedsStdinAndReadsStdoutToTheExit() {
        upperCasingChild();
        Process.Output output = run(() -> {
            Process process = Subprocesses.createSubprocessExec(List.of("upper.exe", "--all"),
                    SubprocessOptions.pipes()).await();
            Process.Output out = process.communicate("hello windows".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, process.returncode());
            return out;
        });
        assertEquals("HELLO WINDOWS", new String(output.stdout(), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[0], output.stderr());
        assertEquals(List.of("upper.exe --all"), fake.commandLines);
    }

    @Test
    void killIsTerminateProcessAndTheReturnCodeIsOne() {
        int code = run(() -> {
            Process process = Subprocesses.createSubprocessExec(List.of("sleeper.exe"), SubprocessOptions.pipes()).await();
            process.kill();
            return process.waitFor();
        });
        assertEquals(1, code, "TerminateProcess(handle, 1), as Popen.kill on Windows");
    }

    @Test
    void ctrlBreakGoesToTheChildsProcessGroup() {
        run(() -> {
            Process process = Subprocesses.createSubprocessExec(List.of("console.exe"), SubprocessOptions.pipes()).await();
            process.sendSignal(1); // CTRL_BREAK_EVENT
            assertThrows(IllegalArgumentException.class, () -> process.sendSignal(2), "SIGINT: not on Windows");
            process.kill();
            process.waitFor();
            return null;
        });
        assertEquals(1, fake.ctrlEvents.size());
        assertEquals(1, fake.ctrlEvents.get(0)[0]);
        assertEquals(fake.child(0).pid, fake.ctrlEvents.get(0)[1]);
    }

    @Test
    void aShellCommandGoesToComspecUnquoted() {
        run(() -> {
            Process process = Subprocesses.createSubprocessShell("echo \"a b\" & exit 3", SubprocessOptions.pipes())
                    .await();
            process.kill();
            process.waitFor();
            return null;
        });
        String comspec = System.getenv("COMSPEC") == null ? "cmd.exe" : System.getenv("COMSPEC");
        assertEquals(List.of(comspec + " /c \"echo \"a b\" & exit 3\""), fake.commandLines);
    }

    @Test
    void aMissingProgramIsFileNotFoundErrorAndLeaksNoPipe() {
        IOException failure = run(() -> {
            try {
                Subprocesses.createSubprocessExec(List.of("missing.exe"), SubprocessOptions.pipes()).await();
                return null;
            } catch (Exception thrown) { // await() rethrows the task's IOException as it is
                return thrown instanceof IOException io ? io : null;
            }
        });
        assertTrue(failure instanceof FileNotFoundError, String.valueOf(failure));
        assertEquals("missing.exe", ((FileNotFoundError) failure).filename());
        assertTrue(failure.getMessage().endsWith("error=2, The system cannot find the file specified"),
                failure.getMessage());
    }

    @Test
    void theLoopClosingWithAChildRunningKillsItAndStopsTheWait() {
        run(() -> {
            Subprocesses.createSubprocessExec(List.of("forever.exe"), SubprocessOptions.pipes()).await();
            return null; // the runner closes the loop with the child running
        });
        assertEquals(1, fake.child(0).exitCode, "killed");
    }

    @Test
    void environmentDirectoryAndFilesReachCreateProcessW() {
        java.nio.file.Path out = java.nio.file.Path.of("C:\\logs\\out.txt");
        run(() -> {
            Process process = Subprocesses.createSubprocessExec(List.of("tool.exe"), SubprocessOptions.pipes()
                    .env(java.util.Map.of("b", "2", "A", "1")).cwd(java.nio.file.Path.of("C:\\work"))
                    .stdin(asyncio.api.subprocess.Stdio.DEVNULL).stdout(asyncio.api.subprocess.Stdio.file(out))).await();
            process.kill();
            process.waitFor();
            return null;
        });
        assertEquals("A=1\0b=2\0\0", fake.lastEnvironment, "sorted without regard to case, double-NUL ended");
        assertEquals(asyncio.windows.ffi.ProcessApi.CREATE_UNICODE_ENVIRONMENT
                | asyncio.windows.ffi.ProcessApi.EXTENDED_STARTUPINFO_PRESENT, fake.lastCreationFlags);
        assertEquals("C:\\work", fake.lastDirectory);
        assertEquals(List.of("NUL access=0x80000000 disposition=3",
                out + " access=0x40000000 disposition=2"), fake.filesOpened, "stdin from NUL, stdout truncated");
    }

    @Test
    void theParentsOwnStreamsAreDuplicatedInheritableAndClosedAfterTheSpawn() {
        fake.standardHandle = 0x5000;
        run(() -> {
            Process process = Subprocesses.createSubprocessExec(List.of("plain.exe"), SubprocessOptions.inherit()).await();
            process.kill();
            process.waitFor();
            return null;
        });
        assertEquals(null, fake.lastEnvironment, "no env: the parent's");
        assertEquals(asyncio.windows.ffi.ProcessApi.EXTENDED_STARTUPINFO_PRESENT, fake.lastCreationFlags);
        assertEquals(3, fake.inheritableDuplicates, "stdin, stdout, stderr");
        assertEquals(3, fake.lastInherited.size(), "the child inherits its three duplicates, and only them");
        // and the three duplicates were closed: run() checks every handle
        assertEquals(List.of(), fake.filesOpened);
    }

    @Test
    void theChildInheritsItsStandardHandlesOnlyEachOnce() {
        run(() -> {
            Process first = Subprocesses.createSubprocessExec(List.of("first.exe"),
                    SubprocessOptions.pipes().stderr(asyncio.api.subprocess.Stdio.STDOUT)).await();
            assertEquals(2, fake.lastInherited.size(), "stdin and stdout; stderr is stdout's end, listed once");
            assertEquals(Set.of(fake.child(0).stdin, fake.child(0).stdout), Set.copyOf(fake.lastInherited));
            Process second = Subprocesses.createSubprocessExec(List.of("second.exe"), SubprocessOptions.pipes()).await();
            assertEquals(Set.of(fake.child(1).stdin, fake.child(1).stdout, fake.child(1).stderr),
                    Set.copyOf(fake.lastInherited), "its own three ends, none of the first child's");
            first.kill();
            second.kill();
            first.waitFor();
            second.waitFor();
            return null;
        });
    }

    @Test
    void withNoStandardHandleToGiveTheChildInheritsNothing() {
        fake.standardHandle = 0; // no console: GetStdHandle has nothing
        run(() -> {
            Process process = Subprocesses.createSubprocessExec(List.of("detached.exe"), SubprocessOptions.inherit()).await();
            process.kill();
            return process.waitFor();
        });
        assertEquals(0, fake.lastCreationFlags, "no list, no EXTENDED_STARTUPINFO_PRESENT, bInheritHandles FALSE");
        assertEquals(List.of(), fake.lastInherited);
    }

    /** 70 children: two waiter threads (63 each at most), every exit delivered, cancelled waits too. */
    @Test
    void moreChildrenThanOneWaitCanHoldUseAnotherWaiterThread() throws IOException {
        IocpCompletionPort port = new IocpCompletionPort(FakeProcesses.synchronizedWinsock(winsock));
        port.processes(fake);
        List<WindowsProcess> children = new ArrayList<>();
        List<Outcome<Void>> exits = new ArrayList<>();
        List<Operation> waits = new ArrayList<>();
        SubprocessOptions none = SubprocessOptions.pipes().stdin(asyncio.api.subprocess.Stdio.DEVNULL)
                .stdout(asyncio.api.subprocess.Stdio.DEVNULL).stderr(asyncio.api.subprocess.Stdio.DEVNULL);
        for (int i = 0; i < 70; i++) {
            WindowsProcess child = WindowsProcess.spawn(port, fake, List.of("child.exe", Integer.toString(i)), none);
            Outcome<Void> exit = new Outcome<>();
            waits.add(port.waitForExit(child, exit));
            children.add(child);
            exits.add(exit);
        }
        assertEquals(2, port.exitWaiterThreads());
        for (int i = 0; i < 70; i += 2) {
            fake.child(i).exit(i);
        }
        for (int i = 1; i < 70; i += 2) {
            waits.get(i).cancel(); // then the handle may be closed at once: no waiter waits on it any more
            children.get(i).close();
        }
        PortRuns.waiting(port, winsock, () -> exits.stream().allMatch(exit -> exit.done));
        for (int i = 0; i < 70; i++) {
            assertEquals(i % 2 == 0, exits.get(i).completed, "child " + i);
            if (i % 2 == 0) {
                assertEquals(i, children.get(i).returncode());
                children.get(i).close();
            }
        }
        port.close();
        for (int i = 1; i < 70; i += 2) {
            fake.child(i).exit(0); // untouched by the test so far; their handles are closed
        }
        assertEquals(List.of(), fake.problems);
        assertEquals(Set.of(), fake.openHandles(), "every handle closed");
    }
}

package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.SubprocessProtocol;
import asyncio.api.subprocess.Subprocesses;
import asyncio.api.transports.BaseTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Child processes, low level (transport and protocol) and high level ({@link Process}). */
@SpawnsChildren
@ExtendWith(NoDescriptorLeaks.class)
class SubprocessTest {

    @LoopTest
    void communicateMovesLargeInputAndOutputWithoutDeadlock(LoopKind kind) {
        byte[] input = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(input);
        byte[] echoed = kind.run(() -> {
            Process cat = Subprocesses.createSubprocessExec(List.of("cat"), SubprocessOptions.pipes()).await();
            Process.Output output = cat.communicate(input);
            assertEquals(0, cat.returncode());
            return output.stdout();
        });
        assertArrayEquals(input, echoed);
    }

    @LoopTest
    void hundredMebibytesGoThroughCatIntact(LoopKind kind) {
        byte[] block = new byte[1024 * 1024];
        new Random(11).nextBytes(block);
        int blocks = 100;
        long[] received = kind.run(() -> {
            Process cat = Subprocesses.createSubprocessExec(List.of("cat"), SubprocessOptions.pipes()).await();
            asyncio.api.Task<Void> feeder = Asyncio.createTask(() -> {
                for (int i = 0; i < blocks; i++) {
                    cat.stdin().write(block);
                    cat.stdin().drain();
                }
                cat.stdin().close();
                return null;
            });
            long total = 0;
            long mismatches = 0;
            while (true) {
                byte[] chunk = cat.stdout().read(256 * 1024);
                if (chunk.length == 0) {
                    break;
                }
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] != block[(int) ((total + i) % block.length)]) {
                        mismatches++;
                    }
                }
                total += chunk.length;
            }
            feeder.await();
            return new long[] {total, mismatches, cat.waitFor()};
        });
        assertArrayEquals(new long[] {(long) blocks * block.length, 0, 0}, received);
    }

    @LoopTest
    void hundredsOfChildrenAtOnceLeaveNothingBehind(LoopKind kind) {
        int children = 200;
        long threadsBefore = Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon()).count();
        List<Object> outputs = kind.run(() -> {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                String word = "child" + i;
                runs.add(Asyncio.createTask(() -> {
                    Process child = Subprocesses.createSubprocessExec(List.of("echo", word),
                            SubprocessOptions.pipes()).await();
                    return new String(child.communicate(null).stdout(), StandardCharsets.UTF_8).trim();
                }));
            }
            return Asyncio.gather(runs.toArray(Future<?>[]::new)).await();
        });
        for (int i = 0; i < children; i++) {
            assertEquals("child" + i, outputs.get(i));
        }
        long threadsAfter = Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon()).count();
        assertTrue(threadsAfter <= threadsBefore, "platform threads grew from " + threadsBefore + " to " + threadsAfter);
    }

    @LoopTest
    void pythonChildTalksThroughPipes(LoopKind kind) {
        String answer = kind.run(() -> {
            Process python = Subprocesses.createSubprocessExec(List.of("python3", "-c",
                    "import sys; data = sys.stdin.read(); sys.stdout.write(data.upper()); sys.exit(5)"),
                    SubprocessOptions.pipes()).await();
            Process.Output output = python.communicate("shout this".getBytes(StandardCharsets.UTF_8));
            return new String(output.stdout(), StandardCharsets.UTF_8) + "/" + python.returncode();
        });
        assertEquals("SHOUT THIS/5", answer);
    }

    @LoopTest
    void shellReportsStdoutStderrAndExitCode(LoopKind kind) {
        List<Object> seen = kind.run(() -> {
            Process shell = Subprocesses.createSubprocessShell("echo out; echo err >&2; exit 3",
                    SubprocessOptions.pipes()).await();
            Process.Output output = shell.communicate(null);
            return List.of(new String(output.stdout(), StandardCharsets.UTF_8),
                    new String(output.stderr(), StandardCharsets.UTF_8), shell.returncode());
        });
        assertEquals(List.of("out\n", "err\n", 3), seen);
    }

    @LoopTest
    void stderrCanJoinStdout(LoopKind kind) {
        String merged = kind.run(() -> {
            Process shell = Subprocesses.createSubprocessShell("echo one; echo two >&2",
                    SubprocessOptions.pipes().stderr(Stdio.STDOUT)).await();
            assertNull(shell.stderr());
            return new String(shell.communicate(null).stdout(), StandardCharsets.UTF_8);
        });
        assertEquals("one\ntwo\n", merged);
    }

    @LoopTest
    void aKilledChildReportsTheNegativeSignal(LoopKind kind) {
        int[] codes = kind.run(() -> {
            Process killed = Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await();
            killed.kill();
            Process terminated = Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await();
            terminated.terminate();
            Process hungUp = Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await();
            hungUp.sendSignal(1);
            return new int[] {killed.waitFor(), terminated.waitFor(), hungUp.waitFor()};
        });
        assertArrayEquals(new int[] {-9, -15, -1}, codes);
    }

    @LoopTest
    void readingLineByLineFromStdout(LoopKind kind) {
        List<String> lines = kind.run(() -> {
            Process printer = Subprocesses.createSubprocessShell("for i in 1 2 3; do echo line$i; done",
                    SubprocessOptions.pipes()).await();
            List<String> read = new ArrayList<>();
            while (true) {
                byte[] line = printer.stdout().readline();
                if (line.length == 0) {
                    break;
                }
                read.add(new String(line, StandardCharsets.UTF_8).trim());
            }
            assertEquals(0, printer.waitFor());
            return read;
        });
        assertEquals(List.of("line1", "line2", "line3"), lines);
    }

    @LoopTest
    void cwdEnvironmentAndFileRedirection(LoopKind kind, @TempDir Path directory) throws Exception {
        Path output = directory.resolve("out.txt");
        kind.run(() -> {
            Process child = Subprocesses.createSubprocessShell("pwd; echo $GREETING",
                    SubprocessOptions.inherit().stdout(Stdio.file(output)).cwd(directory)
                            .env(Map.of("GREETING", "hello", "PATH", System.getenv("PATH")))).await();
            assertNull(child.stdout());
            return child.waitFor();
        });
        assertEquals(directory.toRealPath() + "\nhello\n", Files.readString(output));
    }

    @LoopTest
    void protocolCallbacksComeInAsyncioOrder(LoopKind kind) {
        List<String> events = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> seen = new ArrayList<>();
            Future<Void> lost = loop.createFuture();
            var connection = loop.subprocessExec(() -> new SubprocessProtocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    seen.add("made");
                }

                @Override
                public void pipeDataReceived(int fd, ByteBuffer data) {
                    seen.add("data" + fd + ":" + StandardCharsets.UTF_8.decode(data).toString().trim());
                }

                @Override
                public void pipeConnectionLost(int fd, Throwable error) {
                    seen.add("pipe" + fd + " lost");
                }

                @Override
                public void processExited() {
                    seen.add("exited");
                }

                @Override
                public void connectionLost(Throwable error) {
                    seen.add("lost");
                    lost.setResult(null);
                }
            }, List.of("/bin/sh", "-c", "echo hi"), SubprocessOptions.pipes().stdin(Stdio.DEVNULL)
                    .stderr(Stdio.DEVNULL)).await();
            lost.await();
            assertEquals(0, connection.transport().getReturncode());
            connection.transport().close();
            return seen;
        });
        // As in asyncio, the exit may be noticed before or after the pipe's data and closing;
        // connectionMade comes first, connectionLost last, and data before its pipe's close.
        assertEquals("made", events.get(0), events.toString());
        assertEquals("lost", events.get(events.size() - 1), events.toString());
        assertTrue(events.indexOf("data1:hi") >= 0 && events.indexOf("data1:hi") < events.indexOf("pipe1 lost"),
                events.toString());
        assertTrue(events.contains("exited"), events.toString());
        assertEquals(5, events.size(), events.toString());
    }

    @LoopTest
    void closingTheTransportKillsARunningChild(LoopKind kind) {
        Integer code = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> exited = loop.createFuture();
            var connection = loop.subprocessExec(() -> new SubprocessProtocol() {
                @Override
                public void processExited() {
                    exited.setResult(null);
                }
            }, List.of("sleep", "60"), SubprocessOptions.pipes()).await();
            connection.transport().close();
            Asyncio.waitFor(exited, LoopbackPeers.BOUND);
            return connection.transport().getReturncode();
        });
        assertEquals(-9, code);
    }

    @LoopTest
    void aMissingProgramFailsTheCall(LoopKind kind) {
        Throwable failure = kind.run(() -> {
            try {
                Subprocesses.createSubprocessExec(List.of("/no/such/program"), SubprocessOptions.pipes()).await();
                return null;
            } catch (Exception expected) {
                return expected;
            }
        });
        assertTrue(failure instanceof java.io.IOException, String.valueOf(failure));
    }

    @LoopTest
    void emptyArgumentsAreRefused(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(IllegalArgumentException.class,
                    () -> loop.subprocessExec(() -> new SubprocessProtocol() { }, List.of(), SubprocessOptions.pipes()));
        }
    }
}

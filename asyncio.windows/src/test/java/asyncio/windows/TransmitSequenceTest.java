package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.windows.ffi.WinApi;
import asyncio.windows.ffi.Win32TransmitFile;
import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port's calls for one TransmitFile, recorded on {@link FakeWinsock} with
 * {@link FakeTransmitFile}, are those transmit_sequence.c made and checked under Wine (the lines
 * between "# transmit" and "# end" of transmit-sequence.txt): the pointer's look-up, TransmitFile
 * with the count and the offset in the OVERLAPPED, the completion. The C program also checked what
 * the port relies on: a file opened without FILE_FLAG_OVERLAPPED (as the JDK opens files) is sent
 * from that offset, and its file pointer is not moved.
 */
class TransmitSequenceTest {
    /** Keeps a completion's result. */
    private static final class Kept<T> implements Completion<T> {
        T value;

        @Override
        public void completed(T result) {
            value = result;
        }

        @Override
        public void failed(IOException failure) {
            throw new AssertionError(failure);
        }

        @Override
        public void cancelled() {
            throw new AssertionError("cancelled");
        }
    }

    @TempDir
    Path directory;

    @Test
    void transmitFileMakesTheCallsWinsockWasCheckedWith() throws IOException {
        FakeWinsock winsock = new FakeWinsock();
        CallRecorder recorder = new CallRecorder(winsock);
        FakeTransmitFile fake = new FakeTransmitFile(winsock);
        Win32TransmitFile recorded = new Win32TransmitFile() {
            @Override
            public int TransmitFile(long function, long socket, long file, int bytes, int bytesPerSend, long overlapped,
                                    long buffers, int flags) {
                long offset = MemoryIO.getInstance().getInt(overlapped + OVERLAPPED_OFFSET) & 0xffffffffL;
                recorder.calls.add("TransmitFile bytes=" + bytes + " offset=" + offset);
                return fake.TransmitFile(function, socket, file, bytes, bytesPerSend, overlapped, buffers, flags);
            }

            @Override
            public int lastError() {
                return fake.lastError();
            }
        };
        IocpCompletionPort port = new IocpCompletionPort(recorder.win32);
        port.transmitFiles(new TransmitFiles(recorded, fake::handleOf));

        WindowsSocket listener = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        listener.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        Kept<ProactorSocket> accepted = new Kept<>();
        port.accept(listener, accepted);
        WindowsSocket sender = WindowsSocket.open(port, WinApi.AF_INET, WinApi.SOCK_STREAM);
        Kept<Void> connected = new Kept<>();
        port.connect(sender, listener.localAddress(), connected);
        PortRuns.rounds(port, () -> accepted.value != null);

        byte[] data = new byte[10_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        Path path = Files.write(directory.resolve("data.bin"), data);
        int mark = recorder.calls.size();
        Outcome<Long> sent = new Outcome<>();
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            port.transmitFile(sender, file, 3, 5_000, sent);
            PortRuns.rounds(port, () -> sent.done);
            assertEquals(0, file.position(), "TransmitFile leaves the file's position alone");
        }
        assertEquals(5_000L, sent.value, "bytes sent: " + sent.error);
        ByteBuffer received = ByteBuffer.allocateDirect(5_000);
        Kept<Integer> read = new Kept<>();
        port.recv(accepted.value, received, read);
        PortRuns.rounds(port, () -> read.value != null);
        byte[] got = new byte[5_000];
        received.flip().get(got);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 3, 5_003), got);

        List<String> trace = TraceFiles.lines("transmit-sequence.txt");
        assertTrue(trace.stream().filter(line -> line.startsWith("check ")).allMatch(line -> line.endsWith(" ok")),
                "every check of transmit_sequence.c passed under Wine");
        List<String> windows = trace.subList(trace.indexOf("# transmit") + 1, trace.indexOf("# end")).stream()
                .filter(line -> !line.startsWith("check ")).toList();
        List<String> java = TraceFiles.collapse(recorder.calls.subList(mark, recorder.calls.size())).stream()
                .filter(line -> !line.startsWith("WSARecv")).toList();
        assertEquals(windows, java.subList(0, Math.min(java.size(), windows.size())));
        assertEquals("file pointer after TransmitFile 0", trace.get(trace.size() - 2), "Wine left the file pointer alone");
    }
}

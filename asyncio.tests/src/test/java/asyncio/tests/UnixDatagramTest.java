package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.DatagramEndpoint;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * create_datagram_endpoint on Unix socket paths. asyncio removes a leftover socket file at the
 * local path before binding (never any other kind of file). The selector loop has no Unix
 * datagram socket (java.nio has none) and says so at the call; docs/python-mapping.md records the gap.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class UnixDatagramTest {
    @TempDir
    Path directory;

    /**
     * Whether the loop has Unix datagram sockets: not the portable selector loop, on java.nio
     * alone, nor a proactor loop (Windows has no AF_UNIX datagram sockets, and asyncio's proactor
     * loop has no AF_UNIX at all).
     */
    private static boolean hasUnixDatagrams(LoopKind kind) {
        return !kind.toString().equals("selector") && !kind.toString().startsWith("proactor");
    }

    /** Leaves a socket file at {@code path}, as a process that died without unlinking it does. */
    private static void leaveStaleSocketFile(Path path) throws IOException {
        try (ServerSocketChannel previous = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            previous.bind(UnixDomainSocketAddress.of(path));
        }
    }

    @LoopTest
    void bindingOverAStaleSocketFileRemovesItFirst(LoopKind kind) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasUnixDatagrams(kind), "the selector and proactor loops have no Unix datagrams");
        Path receiverPath = directory.resolve("receiver.sock");
        leaveStaleSocketFile(receiverPath);
        List<String> outcome = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            UnixDomainSocketAddress receiverAddress = UnixDomainSocketAddress.of(receiverPath);
            UnixDomainSocketAddress senderAddress = UnixDomainSocketAddress.of(directory.resolve("sender.sock"));
            DatagramEndpoint<DatagramTest.Recorder> receiver = within(
                    loop.createDatagramEndpoint(DatagramTest.Recorder::new, receiverAddress, null));
            DatagramEndpoint<DatagramTest.Recorder> sender = within(
                    loop.createDatagramEndpoint(DatagramTest.Recorder::new, senderAddress, receiverAddress));
            sender.transport().sendto(ascii("over a stale file"));
            String received = receiver.protocol().awaitDatagram();
            sender.transport().close();
            receiver.transport().close();
            within(sender.protocol().lost);
            within(receiver.protocol().lost);
            return List.of(received, String.valueOf(senderAddress));
        });
        assertEquals("over a stale file@" + outcome.get(1), outcome.get(0));
    }

    @LoopTest
    void aRegularFileAtTheLocalPathIsNeverRemoved(LoopKind kind) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasUnixDatagrams(kind), "the selector and proactor loops have no Unix datagrams");
        Path path = Files.writeString(directory.resolve("not-a-socket"), "keep me");
        IOException refused = kind.run(() -> assertThrows(IOException.class, () -> within(Asyncio.getRunningLoop()
                .createDatagramEndpoint(DatagramTest.Recorder::new, UnixDomainSocketAddress.of(path), null))));
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        assertEquals("keep me", Files.readString(path));
    }

    @LoopTest
    void aLoopWithoutUnixDatagramsRefusesThemAtTheCallWithAClearError(LoopKind kind) {
        org.junit.jupiter.api.Assumptions.assumeFalse(hasUnixDatagrams(kind), "this loop has Unix datagrams");
        UnixDomainSocketAddress local = UnixDomainSocketAddress.of(directory.resolve("refused.sock"));
        String message = kind.run(() -> assertThrows(UnsupportedOperationException.class, () -> Asyncio.getRunningLoop()
                .createDatagramEndpoint(DatagramTest.Recorder::new, local, null)).getMessage());
        assertTrue(message.contains("Unix datagram") && message.contains(kind.toString()), message);
        assertTrue(Files.notExists(local.getPath()));
    }
}

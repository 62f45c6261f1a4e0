package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.tls.SslEngines;
import asyncio.spi.tls.SslProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the TLS layer ({@link SslProtocol}) with the bytes of a real TLS session cut at random
 * places: the peer is a JDK {@link SSLEngine}, our protocol runs as client or server over a
 * transport that only records what it writes, and every byte the peer sends reaches our protocol
 * in random chunks (a record split anywhere, several records in one chunk). Random application
 * data flows both ways, then the peer closes with close_notify. The plaintext out must equal the
 * plaintext in, both ways, and the application must see EOF once. See {@link FuzzInput} for the
 * number of cases and replaying one.
 */
@ExtendWith(NoDescriptorLeaks.class)
class TlsRecordFuzzTest {
    /** A handshake, a dozen messages and thousands of small chunks per case: a few seconds per loop and carrier. */
    private static final int DEFAULT_TRIES = 12;
    private static final int MAX_PUMPS = 10_000;

    @TempDir
    static Path directory;
    static TlsCerts certs;
    /** Made once per protocol: reading the PEM files for every case would cost more than the case (and cases then resume sessions). */
    private static final java.util.Map<String, SSLContext> CLIENTS = new java.util.HashMap<>();
    private static final java.util.Map<String, SSLContext> SERVERS = new java.util.HashMap<>();

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
        CLIENTS.clear();
        SERVERS.clear();
    }

    @LoopTest
    void plaintextSurvivesAnyCuttingOfTheTlsRecords(LoopKind kind) {
        long first = FuzzInput.firstSeed();
        int tries = FuzzInput.tries(DEFAULT_TRIES);
        kind.run(() -> {
            for (int i = 0; i < tries; i++) {
                long seed = first + i;
                try {
                    runCase(FuzzInput.seeded(seed));
                } catch (AssertionError | SSLException failed) {
                    throw new AssertionError(failed + FuzzInput.replay(seed), failed);
                }
            }
            return null;
        });
    }

    private static void runCase(FuzzInput in) throws SSLException {
        EventLoop loop = Asyncio.getRunningLoop();
        boolean weAreClient = in.bool();
        String protocol = in.bool() ? "TLSv1.3" : "TLSv1.2";
        SSLContext client = CLIENTS.computeIfAbsent(protocol, certs::clientContext);
        SSLContext server = SERVERS.computeIfAbsent(protocol, certs::serverContext);
        SSLEngine ours = weAreClient ? SslEngines.client(client, "localhost", 443, true) : SslEngines.server(server);
        SSLEngine peer = weAreClient ? server.createSSLEngine() : client.createSSLEngine("localhost", 443);
        peer.setUseClientMode(!weAreClient);
        Session session = new Session(in, peer);
        Future<Void> handshake = loop.createFuture();
        SslProtocol tls = new SslProtocol(loop, weAreClient ? client : server, ours, session.app, handshake, true, 60, 30);
        tls.connectionMade(session.wire);
        peer.beginHandshake();
        // Both ends done: our side may finish first while the peer still has our last flight to read.
        session.pumpUntil(tls, () -> handshake.done() && peer.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING);
        assertNull(handshake.exception(), "the handshake failed");
        ByteArrayOutputStream sentByUs = new ByteArrayOutputStream();
        ByteArrayOutputStream sentByPeer = new ByteArrayOutputStream();
        int messages = in.intInRange(0, 12);
        for (int i = 0; i < messages; i++) {
            byte[] data = in.bytes(in.intInRange(1, in.bool() ? 64 : 8_000), null);
            if (in.bool()) {
                session.app.transport.write(ByteBuffer.wrap(data));
                sentByUs.writeBytes(data);
            } else {
                session.peerSend(data);
                sentByPeer.writeBytes(data);
            }
            if (in.bool()) {
                session.pump(tls);
            }
        }
        session.peerClose();
        session.pumpUntil(tls, () -> session.app.eofs > 0);
        session.pump(tls);
        assertArrayEquals(sentByPeer.toByteArray(), session.app.received.toByteArray(), "what the peer sent");
        assertArrayEquals(sentByUs.toByteArray(), session.peerReceived.toByteArray(), "what we sent");
        assertEquals(1, session.app.eofs, "EOF reaches the application once");
        tls.connectionLost(null);
        Asyncio.sleep(0);
        assertTrue(session.app.lost, "connection_lost reached the application");
    }

    /** The peer engine, the wire between it and us, and our application protocol. */
    private static final class Session {
        final FuzzInput in;
        final SSLEngine peer;
        final Wire wire = new Wire();
        final App app = new App();
        final ByteArrayOutputStream peerReceived = new ByteArrayOutputStream();
        /** The peer's TLS bytes not yet handed to our protocol. */
        final ByteArrayOutputStream toUs = new ByteArrayOutputStream();
        private ByteBuffer peerNetIn = ByteBuffer.allocate(0);

        Session(FuzzInput in, SSLEngine peer) {
            this.in = in;
            this.peer = peer;
        }

        void peerSend(byte[] data) throws SSLException {
            ByteBuffer source = ByteBuffer.wrap(data);
            while (source.hasRemaining()) {
                peerWrap(source);
            }
        }

        void peerClose() throws SSLException {
            peer.closeOutbound();
            while (!peer.isOutboundDone()) {
                peerWrap(ByteBuffer.allocate(0));
            }
        }

        /** Moves bytes both ways until {@code done} holds (or nothing moves any more, which fails). */
        void pumpUntil(SslProtocol tls, java.util.function.BooleanSupplier done) throws SSLException {
            for (int round = 0; round < MAX_PUMPS && !done.getAsBoolean(); round++) {
                pump(tls);
            }
            assertTrue(done.getAsBoolean(), "the session got stuck");
        }

        /** One round: our bytes into the peer (which may answer), then the peer's bytes to us in random chunks. */
        void pump(SslProtocol tls) throws SSLException {
            byte[] fromUs = wire.written.toByteArray();
            wire.written.reset();
            peerNetIn = append(peerNetIn, fromUs);
            peerUnwrapAll();
            peerHandshake();
            byte[] pending = toUs.toByteArray();
            toUs.reset();
            int at = 0;
            while (at < pending.length) {
                // Mostly cuts anywhere in a record or across several; now and then a run of tiny pieces.
                int chunk = Math.min(pending.length - at, in.intInRange(0, 7) == 0 ? in.intInRange(1, 8) : in.intInRange(1, 20_000));
                tls.dataReceived(ByteBuffer.wrap(pending, at, chunk));
                at += chunk;
            }
            Asyncio.sleep(0);
        }

        private void peerUnwrapAll() throws SSLException {
            while (peerNetIn.hasRemaining()) {
                ByteBuffer plain = ByteBuffer.allocate(peer.getSession().getApplicationBufferSize());
                SSLEngineResult result = peer.unwrap(peerNetIn, plain);
                runTasks(result);
                plain.flip();
                peerReceived.write(plain.array(), 0, plain.limit());
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    peerWrap(ByteBuffer.allocate(0));
                }
            }
            peerNetIn.compact().flip();
        }

        private void peerHandshake() throws SSLException {
            while (peer.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                peerWrap(ByteBuffer.allocate(0));
            }
            if (peer.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = peer.getDelegatedTask()) != null) {
                    task.run();
                }
            }
        }

        private void peerWrap(ByteBuffer source) throws SSLException {
            ByteBuffer net = ByteBuffer.allocate(peer.getSession().getPacketBufferSize());
            SSLEngineResult result = peer.wrap(source, net);
            runTasks(result);
            assertTrue(result.bytesConsumed() > 0 || result.bytesProduced() > 0 || !source.hasRemaining(),
                    "the peer engine cannot send now: " + result);
            net.flip();
            toUs.write(net.array(), 0, net.limit());
        }

        private void runTasks(SSLEngineResult result) {
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = peer.getDelegatedTask()) != null) {
                    task.run();
                }
            }
        }

        private static ByteBuffer append(ByteBuffer unread, byte[] more) {
            ByteBuffer joined = ByteBuffer.allocate(unread.remaining() + more.length);
            joined.put(unread).put(more).flip();
            return joined;
        }
    }

    /** Our application protocol: keeps what it receives, counts EOFs. */
    static final class App implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Transport transport;
        int eofs;
        boolean lost;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            received.writeBytes(copy);
        }

        @Override
        public boolean eofReceived() {
            eofs++;
            return false;
        }

        @Override
        public void connectionLost(Throwable error) {
            lost = true;
        }
    }

    /** The plain transport under our TLS protocol: it only keeps what is written to it. */
    static final class Wire implements Transport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private boolean closing;

        @Override
        public void write(ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            written.writeBytes(copy);
        }

        @Override
        public void writelines(List<ByteBuffer> data) {
            for (ByteBuffer buffer : new ArrayList<>(data)) {
                write(buffer);
            }
        }

        @Override
        public void writeEof() {
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void abort() {
            closing = true;
        }

        @Override
        public int getWriteBufferSize() {
            return 0;
        }

        @Override
        public WriteBufferLimits getWriteBufferLimits() {
            return new WriteBufferLimits(16 * 1024, 64 * 1024); // (low, high)
        }

        @Override
        public void setWriteBufferLimits(Integer high, Integer low) {
        }

        @Override
        public boolean isReading() {
            return true;
        }

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public void close() {
            closing = true;
        }

        @Override
        public boolean isClosing() {
            return closing;
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            return defaultValue;
        }

        @Override
        public void setProtocol(BaseProtocol protocol) {
        }

        @Override
        public BaseProtocol getProtocol() {
            return null;
        }
    }
}

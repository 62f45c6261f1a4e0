package asyncio.spi.tls;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.TimeoutError;
import asyncio.api.TimerHandle;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import asyncio.spi.JfrSwitch;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over any stream transport, with the JDK's {@link SSLEngine}: the protocol of the plain
 * transport below, and the owner of the {@link SslTransport} the application's protocol sees.
 * Mirrors {@code asyncio.sslproto.SSLProtocol} and its states: handshake, wrapped, flushing,
 * shutdown (close_notify both ways, bounded by the shutdown timeout), unwrapped.
 */
public final class SslProtocol implements Protocol {
    private enum State { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN }

    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    private final EventLoop loop;
    private final SSLContext context;
    private final SSLEngine engine;
    private final SslTransport appTransport;
    private final boolean callConnectionMade;
    private final double handshakeTimeout;
    private final double shutdownTimeout;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
    private BaseProtocol app;
    private Future<Void> waiter;
    private Transport transport;
    private State state = State.UNWRAPPED;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private long backlogBytes;
    /** The largest record payload the negotiated protocol allows; known once the handshake is done. */
    private int maxRecordPayload;
    private TimerHandle handshakeTimer;
    /** The JFR event of the handshake under way, when a recording wants it; null otherwise. */
    private TlsHandshakeEvent handshakeEvent;
    private TimerHandle shutdownTimer;
    private boolean appConnected;
    private boolean appEofDelivered;
    private boolean appReadingPaused;
    private boolean appWritingPaused;
    private boolean peerClosedTcp;
    private boolean closeNotifyReceived;
    private boolean closeNotifySent;
    private Throwable fatal;
    private int connLost;

    /**
     * Wraps {@code app} in TLS run by {@code engine}. {@code waiter} (may be null) completes when
     * the handshake is done, or fails with its error; with {@code callConnectionMade} false the
     * application protocol is already connected (start_tls).
     */
    public SslProtocol(EventLoop loop, SSLContext context, SSLEngine engine, BaseProtocol app, Future<Void> waiter,
                       boolean callConnectionMade, double handshakeTimeout, double shutdownTimeout) {
        this.loop = loop;
        this.context = context;
        this.engine = engine;
        this.app = app;
        this.waiter = waiter;
        this.callConnectionMade = callConnectionMade;
        this.handshakeTimeout = handshakeTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.appTransport = new SslTransport(this);
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet).flip();
        this.netOut = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        extra.put("sslcontext", context);
        extra.put("ssl_object", engine);
    }

    /** The transport the application protocol talks to. */
    public SslTransport appTransport() {
        return appTransport;
    }

    // --- the plain transport's protocol ---

    @Override
    public void connectionMade(BaseTransport plain) {
        transport = (Transport) plain;
        state = State.DO_HANDSHAKE;
        if (JfrSwitch.tlsHandshakeWanted()) {
            handshakeEvent = new TlsHandshakeEvent();
            handshakeEvent.begin();
        }
        handshakeTimer = loop.callLater(handshakeTimeout, this::checkHandshakeTimeout);
        try {
            engine.beginHandshake();
        } catch (SSLException | RuntimeException failed) {
            onHandshakeComplete(failed);
            return;
        }
        doHandshake();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (closeNotifyReceived || state == State.UNWRAPPED) {
            // Nothing may follow close_notify; whatever does is dropped, as asyncio does.
            data.position(data.limit());
            return;
        }
        appendNetIn(data);
        switch (state) {
            case DO_HANDSHAKE -> doHandshake();
            case WRAPPED, FLUSHING -> doRead();
            case SHUTDOWN -> doShutdown();
            default -> { }
        }
    }

    @Override
    public boolean eofReceived() {
        peerClosedTcp = true;
        switch (state) {
            case DO_HANDSHAKE -> onHandshakeComplete(new SocketException("Connection reset: EOF during the TLS handshake"));
            case WRAPPED -> {
                state = State.FLUSHING;
                if (appReadingPaused) {
                    return true;
                }
                doFlush();
            }
            case FLUSHING -> {
                state = State.SHUTDOWN;
                doShutdown();
            }
            case SHUTDOWN -> doShutdown();
            default -> { }
        }
        return false;
    }

    @Override
    public void connectionLost(Throwable error) {
        Throwable cause = error != null ? error : fatal;
        backlog.clear();
        backlogBytes = 0;
        connLost++;
        appTransport.markClosed();
        if (state != State.DO_HANDSHAKE && appConnected) {
            appConnected = false;
            BaseProtocol lostApp = app;
            loop.callSoon(() -> lostApp.connectionLost(cause));
        }
        boolean duringHandshake = state == State.DO_HANDSHAKE;
        if (duringHandshake) {
            recordHandshake(cause != null ? cause : new SocketException("Connection lost during the TLS handshake"));
        }
        state = State.UNWRAPPED;
        // As asyncio drops its _transport: the plain keys (socket, peername, sockname) answer the default now.
        transport = null;
        cancelTimers();
        wakeUpWaiter(cause != null ? cause
                : duringHandshake ? new SocketException("Connection lost during the TLS handshake") : null);
    }

    @Override
    public void pauseWriting() {
        appWritingPaused = true;
        app.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        appWritingPaused = false;
        app.resumeWriting();
    }

    // --- handshake ---

    private void doHandshake() {
        try {
            while (state == State.DO_HANDSHAKE) {
                HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_TASK -> runDelegatedTasks();
                    // A flight (ServerHello to Finished, then the session tickets) collects in
                    // netOut and leaves in one write once the engine waits for the peer or is done.
                    case NEED_WRAP -> wrap(EMPTY, false);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapOnce()) {
                            sendNetOut();
                            return;
                        }
                    }
                    default -> {
                        sendNetOut();
                        onHandshakeComplete(null);
                        return;
                    }
                }
            }
        } catch (SSLException | RuntimeException failed) {
            if (transport != null) {
                sendNetOut();
            }
            onHandshakeComplete(failed);
        }
    }

    private void onHandshakeComplete(Throwable failure) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        recordHandshake(failure);
        if (failure != null) {
            state = State.UNWRAPPED;
            fatalError(failure, isCertificateFailure(failure) ? "SSL handshake failed on verifying the certificate"
                    : "SSL handshake failed");
            wakeUpWaiter(failure);
            return;
        }
        state = State.WRAPPED;
        maxRecordPayload = TlsRecordHeader.maxPayload(engine.getSession().getProtocol());
        recordSessionInfo();
        if (callConnectionMade) {
            app.connectionMade(appTransport);
        }
        appConnected = true;
        wakeUpWaiter(null);
        flushBacklog();
        doRead();
    }

    /** Ends and commits the handshake's JFR event, if one is under way: once, however the handshake ends. */
    private void recordHandshake(Throwable failure) {
        TlsHandshakeEvent event = handshakeEvent;
        if (event == null) {
            return;
        }
        handshakeEvent = null;
        event.end();
        if (event.shouldCommit()) {
            event.side = engine.getUseClientMode() ? "client" : "server";
            event.peerHost = engine.getUseClientMode() && engine.getPeerHost() != null ? engine.getPeerHost() : "";
            event.protocol = failure == null ? engine.getSession().getProtocol() : "";
            event.cipher = failure == null ? engine.getSession().getCipherSuite() : "";
            event.failure = failure == null ? "" : failure.getClass().getName() + ": " + failure.getMessage();
            event.loop = JfrSwitch.loopName(loop);
            event.commit();
        }
    }

    private void checkHandshakeTimeout() {
        handshakeTimer = null;
        if (state == State.DO_HANDSHAKE) {
            TimeoutError timeout = new TimeoutError("SSL handshake is taking longer than " + handshakeTimeout
                    + " seconds: aborting the connection");
            recordHandshake(timeout);
            state = State.UNWRAPPED;
            wakeUpWaiter(timeout);
            fatal = timeout;
            transport.abort();
        }
    }

    private void recordSessionInfo() {
        extra.put("cipher", asyncio.api.transports.Cipher.of(engine.getSession().getCipherSuite(),
                engine.getSession().getProtocol()));
        extra.put("compression", null);
        extra.put("ssl_session", engine.getSession());
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            extra.put("peercert", chain.length > 0 ? chain[0] : null);
        } catch (SSLPeerUnverifiedException anonymous) {
            extra.put("peercert", null);
        }
    }

    private static boolean isCertificateFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    // --- reading ---

    private void doRead() {
        if (appReadingPaused || (state != State.WRAPPED && state != State.FLUSHING)) {
            return;
        }
        try {
            deliverAppIn();
            while (!appReadingPaused && (state == State.WRAPPED || state == State.FLUSHING) && !closeNotifyReceived) {
                if (!wholeRecordMayBeBuffered() || !unwrapOnce()) {
                    break;
                }
                deliverAppIn();
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    // A post-handshake message (key update) needs an answer.
                    wrapAndSend(EMPTY);
                }
            }
        } catch (SSLException failed) {
            fatalError(failed, "SSL error in data received");
            return;
        } catch (RuntimeException failed) {
            fatalError(failed, "Fatal error on SSL protocol");
            return;
        }
        if (closeNotifyReceived) {
            callEofReceived();
            startShutdown();
        }
    }

    /** One unwrap; false when more bytes from the network are needed (or the peer closed). */
    private boolean unwrapOnce() throws SSLException {
        SSLEngineResult result = engine.unwrap(netIn, appIn);
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                return false;
            }
            case BUFFER_OVERFLOW -> {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                return true;
            }
            case CLOSED -> {
                closeNotifyReceived = true;
                return false;
            }
            default -> {
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                }
                return result.bytesConsumed() > 0 || result.bytesProduced() > 0
                        || result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING;
            }
        }
    }

    /**
     * False when netIn surely holds no whole record: the engine would answer BUFFER_UNDERFLOW,
     * and asking it costs a call (and a result object) on nearly every read, as a read usually
     * ends on a record boundary. Throws when the next bytes cannot be a record, which the engine
     * would not see until as many bytes as they announce had come. Only after the handshake:
     * every record then has this header.
     */
    private boolean wholeRecordMayBeBuffered() throws SSLException {
        return TlsRecordHeader.wholeRecordMayBeBuffered(netIn, maxRecordPayload);
    }

    private void deliverAppIn() {
        if (appIn.position() == 0 || !appConnected) {
            return;
        }
        appIn.flip();
        try {
            if (app instanceof BufferedProtocol buffered) {
                while (appIn.hasRemaining()) {
                    ByteBuffer target = buffered.getBuffer(appIn.remaining());
                    int count = Math.min(target.remaining(), appIn.remaining());
                    ByteBuffer slice = appIn.slice(appIn.position(), count);
                    target.put(slice);
                    appIn.position(appIn.position() + count);
                    buffered.bufferUpdated(count);
                }
            } else {
                ((Protocol) app).dataReceived(appIn);
            }
        } finally {
            appIn.clear();
        }
    }

    /**
     * netIn stays ready to read (unread bytes between position and limit) so each record's unwrap
     * does not move the rest of a large read; the bytes move only when new data needs the room.
     */
    private void appendNetIn(ByteBuffer data) {
        if (netIn.capacity() - netIn.limit() < data.remaining()) {
            netIn.compact();
            if (netIn.remaining() < data.remaining()) {
                netIn = grow(netIn, netIn.position() + data.remaining());
            }
            netIn.put(data).flip();
            return;
        }
        int unread = netIn.position();
        int end = netIn.limit();
        netIn.limit(end + data.remaining()).position(end);
        netIn.put(data);
        netIn.position(unread);
    }

    private void callEofReceived() {
        if (!appConnected || appEofDelivered) {
            return;
        }
        appEofDelivered = true;
        boolean keepOpen = eofOf(app);
        if (keepOpen) {
            LOG.warn("returning true from eofReceived() has no effect when using ssl");
        }
    }

    private static boolean eofOf(BaseProtocol protocol) {
        if (protocol instanceof BufferedProtocol buffered) {
            return buffered.eofReceived();
        }
        return protocol instanceof Protocol stream && stream.eofReceived();
    }

    // --- writing ---

    void writeAppData(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        switch (state) {
            case DO_HANDSHAKE, UNWRAPPED -> {
                if (connLost > 0 || (state == State.UNWRAPPED && transport != null)) {
                    dropWrite(data);
                    return;
                }
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                backlog.add(copy);
                backlogBytes += copy.remaining();
            }
            case WRAPPED -> {
                try {
                    wrapAndSend(data);
                } catch (SSLException failed) {
                    data.position(data.limit());
                    fatalError(failed, "Fatal error on SSL protocol");
                }
            }
            default -> dropWrite(data);
        }
    }

    private void dropWrite(ByteBuffer data) {
        if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
            LOG.warn("SSL connection is closed");
        }
        connLost++;
        data.position(data.limit());
    }

    private void flushBacklog() {
        ByteBuffer pending;
        while ((pending = backlog.poll()) != null) {
            backlogBytes -= pending.remaining();
            writeAppData(pending);
        }
    }

    private void wrapAndSend(ByteBuffer source) throws SSLException {
        wrap(source, true);
    }

    /** Wraps all of {@code source}; with {@code send} false the records stay in netOut (sent when it fills). */
    private void wrap(ByteBuffer source, boolean send) throws SSLException {
        do {
            SSLEngineResult result = engine.wrap(source, netOut);
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    if (netOut.position() > 0) {
                        sendNetOut();
                    } else {
                        netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    }
                    continue;
                }
                case CLOSED -> {
                    sendNetOut();
                    if (source.hasRemaining()) {
                        throw new SSLException("the TLS engine is closed; cannot send application data");
                    }
                    return;
                }
                default -> {
                }
            }
            if (send) {
                sendNetOut();
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                return;
            }
        } while (source.hasRemaining());
    }

    private void sendNetOut() {
        if (netOut.position() == 0) {
            return;
        }
        netOut.flip();
        transport.write(netOut);
        netOut.clear();
    }

    int writeBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, backlogBytes + (transport == null ? 0 : transport.getWriteBufferSize()));
    }

    Transport plainTransport() {
        return transport;
    }

    // --- reading flow control ---

    void pauseAppReading() {
        appReadingPaused = true;
        if (transport != null) {
            transport.pauseReading();
        }
    }

    void resumeAppReading() {
        if (!appReadingPaused) {
            return;
        }
        appReadingPaused = false;
        if (transport != null && !peerClosedTcp) {
            transport.resumeReading();
        }
        loop.callSoon(() -> {
            if (state == State.FLUSHING && peerClosedTcp) {
                doFlush();
            } else {
                doRead();
            }
        });
    }

    /** Whether the application protocol's writing is paused now. Mirrors {@code _app_writing_paused}. */
    boolean isAppWritingPaused() {
        return appWritingPaused;
    }

    boolean isAppReading() {
        return !appReadingPaused;
    }

    // --- closing ---

    boolean loopClosed() {
        return loop.isClosed();
    }

    void startShutdown() {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            return;
        }
        if (state == State.DO_HANDSHAKE) {
            abort();
            return;
        }
        state = State.FLUSHING;
        shutdownTimer = loop.callLater(shutdownTimeout, this::checkShutdownTimeout);
        if (appReadingPaused && !peerClosedTcp) {
            // The peer's close_notify must be read even though the application reads no more.
            transport.resumeReading();
        }
        doFlush();
    }

    private void doFlush() {
        doRead();
        if (state == State.UNWRAPPED) {
            return;
        }
        state = State.SHUTDOWN;
        doShutdown();
    }

    private void doShutdown() {
        try {
            if (!closeNotifySent) {
                closeNotifySent = true;
                engine.closeOutbound();
                wrapAndSend(EMPTY);
            }
            if (!peerClosedTcp && !closeNotifyReceived) {
                // Wait for the peer's close_notify; data arriving meanwhile comes back here.
                while (wholeRecordMayBeBuffered() && unwrapOnce()) {
                    appIn.clear();
                }
                if (!closeNotifyReceived) {
                    return;
                }
            }
        } catch (SSLException failed) {
            onShutdownComplete(failed);
            return;
        }
        callEofReceived();
        onShutdownComplete(null);
    }

    private void onShutdownComplete(Throwable failure) {
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        if (failure != null) {
            fatalError(failure, "SSL error during shutdown");
        } else {
            Transport plain = transport;
            loop.callSoon(plain::close);
        }
    }

    private void checkShutdownTimeout() {
        shutdownTimer = null;
        if (state == State.FLUSHING || state == State.SHUTDOWN) {
            fatal = new TimeoutError("SSL shutdown timed out");
            transport.abort();
        }
    }

    void abort() {
        state = State.UNWRAPPED;
        if (transport != null) {
            transport.abort();
        }
    }

    private void fatalError(Throwable error, String message) {
        if (error instanceof IOException) {
            if (loop.getDebug()) {
                LOG.debug("{}: {}", message, error.toString(), error);
            }
        } else {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", message);
            context.put("exception", error);
            context.put("transport", transport);
            context.put("protocol", this);
            loop.callExceptionHandler(context);
        }
        fatal = error;
        if (transport != null) {
            transport.abort();
        }
    }

    private void wakeUpWaiter(Throwable error) {
        Future<Void> waiting = waiter;
        waiter = null;
        if (waiting == null || waiting.done()) {
            return;
        }
        if (error != null) {
            waiting.setException(error);
        } else {
            waiting.setResult(null);
        }
    }

    private void cancelTimers() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, atLeast));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }

    // --- for the application transport ---

    Object extraInfo(String name, Object defaultValue) {
        if (extra.containsKey(name)) {
            return extra.get(name);
        }
        return transport != null ? transport.getExtraInfo(name, defaultValue) : defaultValue;
    }

    BaseProtocol appProtocol() {
        return app;
    }

    void appProtocol(BaseProtocol protocol) {
        app = protocol;
    }

    @Override
    public String toString() {
        return "<SslProtocol " + state + " " + (engine.getUseClientMode() ? "client" : "server") + ">";
    }
}

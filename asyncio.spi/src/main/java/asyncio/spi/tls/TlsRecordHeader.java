package asyncio.spi.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLProtocolException;

/**
 * Checks the header of the next TLS record a connection receives after its handshake, before
 * the {@code SSLEngine} sees it. Once the handshake is done the JDK's engine takes any first
 * byte for a content type and any version above SSL 3 for a record version, and then waits for
 * as many bytes as the next two announce: garbage from a peer (an HTTP request, say) can stall
 * a connection until the peer closes it. OpenSSL, under asyncio, rejects such a header at once.
 * So do we: a content type, version or length no TLS record may have fails the connection with
 * an {@link SSLProtocolException}, judged on the header bytes that have arrived so far.
 */
final class TlsRecordHeader {
    /** A TLS record header: content type, version (2 bytes), payload length (2 bytes). */
    static final int SIZE = 5;
    /** change_cipher_spec(20), alert(21), handshake(22), application_data(23), heartbeat(24). */
    private static final int FIRST_TYPE = 20;
    private static final int LAST_TYPE = 24;
    /** The largest protected payload of TLS 1.2 and older (2^14 + 2048, RFC 5246 6.2.3). */
    private static final int MAX_PAYLOAD = 16384 + 2048;
    /** The largest protected payload of TLS 1.3 (2^14 + 256, RFC 8446 5.2). */
    private static final int MAX_PAYLOAD_TLS13 = 16384 + 256;

    private TlsRecordHeader() {
    }

    /** The largest payload a record of a session that negotiated {@code protocol} may announce. */
    static int maxPayload(String protocol) {
        return "TLSv1.3".equals(protocol) ? MAX_PAYLOAD_TLS13 : MAX_PAYLOAD;
    }

    /**
     * Whether {@code in} (read between position and limit) may hold a whole record: false when
     * it holds less than a header, or less than the payload its header announces.
     *
     * @throws SSLProtocolException when the bytes there cannot start a TLS record
     */
    static boolean wholeRecordMayBeBuffered(ByteBuffer in, int maxPayload) throws SSLProtocolException {
        int remaining = in.remaining();
        if (remaining == 0) {
            return false;
        }
        int at = in.position();
        int type = in.get(at) & 0xff;
        if (type < FIRST_TYPE || type > LAST_TYPE) {
            throw new SSLProtocolException("Not a TLS record: content type " + type);
        }
        if (remaining >= 2 && in.get(at + 1) != 3) {
            throw new SSLProtocolException("Not a TLS record: version " + (in.get(at + 1) & 0xff) + ".x");
        }
        if (remaining >= 3) {
            int minor = in.get(at + 2) & 0xff;
            // SSL 3.0 to TLS 1.2 write their own version; TLS 1.3 writes 1.2's (RFC 8446 5.1).
            if (minor > 3) {
                throw new SSLProtocolException("Not a TLS record: version 3." + minor);
            }
        }
        if (remaining < SIZE) {
            return false;
        }
        int length = ((in.get(at + 3) & 0xff) << 8) | (in.get(at + 4) & 0xff);
        if (length > maxPayload) {
            throw new SSLProtocolException("TLS record overflow: " + length + " bytes announced, at most "
                    + maxPayload + " allowed");
        }
        return remaining >= SIZE + length;
    }
}

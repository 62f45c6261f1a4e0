package asyncio.spi.tls;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for a TLS handshake, lasting from its start to its end, with what it agreed on or
 * why it failed. Recorded only while a recording enables it. Public only so that
 * {@code asyncio.spi.JfrSwitch} can ask whether a recording wants it; its fields stay here.
 */
@Name("asyncio.TlsHandshake")
@Label("TLS Handshake")
@Category("asyncio")
@Description("A TLS handshake on a transport: its duration, the protocol and cipher agreed, or its failure")
@StackTrace(false)
// Only its class is looked at from outside; jdk.jfr stays a plain requires.
@SuppressWarnings("exports")
public final class TlsHandshakeEvent extends jdk.jfr.Event {
    @Label("Side")
    @Description("client or server")
    String side;

    @Label("Peer Host")
    @Description("The server name the client asked for; empty on the server side")
    String peerHost;

    @Label("Protocol")
    @Description("The TLS version agreed, e.g. TLSv1.3; empty when the handshake failed")
    String protocol;

    @Label("Cipher Suite")
    String cipher;

    @Label("Failure")
    @Description("Why the handshake failed (class: message); empty when it succeeded")
    String failure;

    @Label("Loop")
    String loop;

    /** Made by {@link SslProtocol} only. */
    TlsHandshakeEvent() {
    }
}

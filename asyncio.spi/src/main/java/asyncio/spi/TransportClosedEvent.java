package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for a transport that let go of its socket or pipe (after {@code connection_lost},
 * or as its loop closed), with the bytes it moved. Recorded only while a recording enables it.
 */
@Name("asyncio.TransportClosed")
@Label("Transport Closed")
@Category("asyncio")
@Description("A stream, datagram or pipe transport was closed, with the bytes it received and sent")
@StackTrace(false)
final class TransportClosedEvent extends jdk.jfr.Event {
    @Label("Transport")
    String transport;

    @Label("Kind")
    String kind;

    @Label("Local Address")
    String sockname;

    @Label("Peer Address")
    String peername;

    @Label("Bytes Received")
    @DataAmount
    long bytesReceived;

    @Label("Bytes Sent")
    @DataAmount
    long bytesSent;

    @Label("Loop")
    String loop;
}

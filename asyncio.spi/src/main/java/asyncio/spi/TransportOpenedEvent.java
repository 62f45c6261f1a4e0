package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A JFR event for a transport that starts holding its socket or pipe. Recorded only while enabled. */
@Name("asyncio.TransportOpened")
@Label("Transport Opened")
@Category("asyncio")
@Description("A stream, datagram or pipe transport was opened")
@StackTrace(false)
final class TransportOpenedEvent extends jdk.jfr.Event {
    @Label("Transport")
    @Description("The transport's id, 0x and its identity hash, as the loop's MXBean shows it")
    String transport;

    @Label("Kind")
    @Description("stream, datagram, read pipe or write pipe")
    String kind;

    @Label("Local Address")
    String sockname;

    @Label("Peer Address")
    String peername;

    @Label("Loop")
    String loop;
}

package asyncio.spi;

/**
 * A transport that can say what it is and how many bytes it moved: what a loop lists in its
 * MXBean and records in the transport JFR events. The transports of this project's loops are.
 */
public interface InspectableTransport {
    /** A snapshot of this transport; called on the loop's thread. */
    TransportInfo describe();
}

package asyncio.api.transports;

/** A host name and service (port) for an address. Mirrors the tuple of {@code loop.getnameinfo()}. */
public record NameInfo(String host, String service) {
}

/**
 * What loop implementations build on: the {@link asyncio.spi.EventLoopProvider} service, the
 * default policy that discovers providers, and {@link asyncio.spi.BaseEventLoop}.
 */
module asyncio.spi {
    requires transitive asyncio.api;
    requires org.slf4j;
    // sun.misc.Signal: the only way the JDK lets a program handle UNIX signals.
    requires jdk.unsupported;
    // The loop's MXBean (EventLoopMonitor), registered only when asked.
    requires transitive java.management;
    // JFR events (SlowCallbackEvent), recorded only while a recording enables them.
    requires jdk.jfr;

    exports asyncio.spi;
    // The readiness loop (selector, epoll) and its transports: selector_events and unix_events.
    exports asyncio.spi.readiness;
    // TLS over any transport: sslproto.
    exports asyncio.spi.tls;
    // Subprocess transport and the child seams both loop families use: base_subprocess.
    exports asyncio.spi.process;
    // The completion-based transports (issue 14/15): loop modules supply a CompletionPort.
    exports asyncio.spi.proactor;

    uses asyncio.spi.EventLoopProvider;

    provides asyncio.api.EventLoopPolicy with asyncio.spi.DefaultEventLoopPolicy;
}

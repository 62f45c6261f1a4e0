/** The portable event loop, on {@link java.nio.channels.Selector}. */
module asyncio.selector {
    requires transitive asyncio.spi;
    requires org.slf4j;

    exports asyncio.selector;

    provides asyncio.spi.EventLoopProvider with asyncio.selector.SelectorEventLoopProvider;
}

/**
 * What loop implementations build on: the {@link asyncio.spi.EventLoopProvider} service, the
 * default policy that discovers providers, and {@link asyncio.spi.BaseEventLoop}.
 */
module asyncio.spi {
    requires transitive asyncio.api;
    requires org.slf4j;

    exports asyncio.spi;

    uses asyncio.spi.EventLoopProvider;

    provides asyncio.api.EventLoopPolicy with asyncio.spi.DefaultEventLoopPolicy;
}

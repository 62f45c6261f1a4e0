/**
 * The Linux event loop: {@code epoll} over raw file descriptors, bound with jnr-ffi. Chosen over
 * the selector loop where its probe passes (Linux, the native binding loads, epoll answers).
 */
// jnr-ffi is an automatic module (no module-info of its own): the only way to require it.
@SuppressWarnings("requires-automatic")
module asyncio.epoll {
    requires transitive asyncio.spi;
    requires org.jnrproject.ffi;
    // jnr-ffi generates the binding class with ASM at run time, from this module's class loader.
    requires org.objectweb.asm;
    // jnr-constants (automatic too): errno names (class Posix).
    requires org.jnrproject.constants;
    requires org.slf4j;
    // jdk.net.ExtendedSocketOptions: the TCP keep-alive tuning NIO channels support as well.
    requires jdk.net;

    exports asyncio.epoll;
    // Unqualified: the class jnr-ffi generates for the binding lives in an unnamed module and must
    // see the interface. Not API: nothing outside asyncio.epoll should call it.
    exports asyncio.epoll.ffi;

    provides asyncio.spi.EventLoopProvider with asyncio.epoll.EpollEventLoopProvider;
}

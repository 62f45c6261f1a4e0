/**
 * A Linux proactor loop on io_uring, bound with jnr-ffi: the completion-based transports of
 * {@code asyncio.spi.proactor} over a real completion kernel. Below epoll in priority
 * (docs/decisions.md): chosen by name, {@code -Dasyncio.loop=uring}.
 */
// jnr-ffi is an automatic module (no module-info of its own): the only way to require it.
@SuppressWarnings("requires-automatic")
module asyncio.uring {
    requires transitive asyncio.spi;
    // Its native sockets (asyncio.epoll.NativeSockets): the ring accepts and connects on raw descriptors.
    requires asyncio.epoll;
    requires org.jnrproject.ffi;
    // jffi's MemoryIO views the mapped rings as direct buffers.
    requires org.jnrproject.jffi;
    // jnr-ffi generates the binding class with ASM at run time, from this module's class loader.
    requires org.objectweb.asm;

    exports asyncio.uring;
    // Unqualified: the class jnr-ffi generates for the binding lives in an unnamed module and must
    // see the interface. Not API.
    exports asyncio.uring.ffi;

    provides asyncio.spi.EventLoopProvider with asyncio.uring.UringEventLoopProvider;
}

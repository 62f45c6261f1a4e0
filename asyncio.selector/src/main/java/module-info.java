/** The portable event loop, on {@link java.nio.channels.Selector}. */
// jnr-ffi is an automatic module (no module-info of its own): the only way to require it.
@SuppressWarnings("requires-automatic")
module asyncio.selector {
    requires transitive asyncio.spi;
    requires org.slf4j;
    // kill(2) for signals the JDK cannot send a child (all but TERM and KILL), where jnr-ffi is
    // on the module path (jnr-ffi generates the binding class with ASM at run time). Optional:
    // the loop itself needs only java.nio, and without jnr-ffi it runs the kill program instead.
    requires static org.jnrproject.ffi;
    requires static org.objectweb.asm;

    exports asyncio.selector;
    // Unqualified: the class jnr-ffi generates for the binding lives in an unnamed module and must
    // see the interface. Not API: nothing outside asyncio.selector should call it.
    exports asyncio.selector.ffi;

    provides asyncio.spi.EventLoopProvider with asyncio.selector.SelectorEventLoopProvider;
}

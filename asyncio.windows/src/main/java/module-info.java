/**
 * The Windows proactor loop on I/O completion ports, bound with jnr-ffi: the completion-based
 * transports of {@code asyncio.spi.proactor} over kernel32 and ws2_32 (overlapped {@code WSARecv},
 * {@code WSASend}, {@code AcceptEx}, {@code ConnectEx}, {@code GetQueuedCompletionStatusEx}). Its
 * provider {@code proactor} is supported only on Windows x64; it has never run on a real Windows
 * here (docs/modules.md says what was checked instead).
 */
// jnr-ffi is an automatic module (no module-info of its own): the only way to require it.
@SuppressWarnings("requires-automatic")
module asyncio.windows {
    requires transitive asyncio.spi;
    requires org.jnrproject.ffi;
    // jffi: MemoryIO for the pinned blocks, and the calls through the AcceptEx/ConnectEx pointers.
    requires org.jnrproject.jffi;
    // jnr-ffi generates the binding class with ASM at run time, from this module's class loader.
    requires org.objectweb.asm;

    exports asyncio.windows;
    // Unqualified: the class jnr-ffi generates for the binding lives in an unnamed module and must
    // see the interfaces. Not API.
    exports asyncio.windows.ffi;

    provides asyncio.spi.EventLoopProvider with asyncio.windows.WindowsEventLoopProvider;
}

/**
 * What applications program against: the event loop contract, futures, tasks and coroutines,
 * and the {@code Asyncio} entry points. The loop itself is found through {@link asyncio.api.EventLoopPolicy}.
 */
// asyncio.spi is built after this module, so its qualified export cannot be checked here.
@SuppressWarnings("module")
module asyncio.api {
    requires org.slf4j;

    exports asyncio.api;
    exports asyncio.api.sync;
    exports asyncio.api.queues;
    exports asyncio.api.transports;
    exports asyncio.api.streams;
    exports asyncio.api.subprocess;
    // Loops (asyncio.spi) set the running loop, report tasks left on a closed loop and tell a
    // group's acceptor when a transport let go of its socket.
    exports asyncio.api.internal to asyncio.spi;

    uses asyncio.api.EventLoopPolicy;
}

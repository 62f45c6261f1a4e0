package asyncio.epoll;

import asyncio.spi.LoopSocket;

/** A socket the epoll loop made itself: a raw, non-blocking file descriptor it registers directly. */
interface NativeSocket extends LoopSocket {
    /** The descriptor; -1 once closed. */
    int fd();
}

package asyncio.spi;

import asyncio.api.EventLoop;

/** Records a transport's opening and closing as JFR events; called only while a recording wants them. */
final class TransportEvents {
    private TransportEvents() {
    }

    static void opened(EventLoop loop, TransportInfo info) {
        TransportOpenedEvent event = new TransportOpenedEvent();
        event.transport = info.getId();
        event.kind = info.getKind();
        event.sockname = info.getSockname();
        event.peername = info.getPeername();
        event.loop = JfrSwitch.loopName(loop);
        event.commit();
    }

    static void closed(EventLoop loop, TransportInfo info) {
        TransportClosedEvent event = new TransportClosedEvent();
        event.transport = info.getId();
        event.kind = info.getKind();
        event.sockname = info.getSockname();
        event.peername = info.getPeername();
        event.bytesReceived = info.getBytesReceived();
        event.bytesSent = info.getBytesSent();
        event.loop = JfrSwitch.loopName(loop);
        event.commit();
    }
}

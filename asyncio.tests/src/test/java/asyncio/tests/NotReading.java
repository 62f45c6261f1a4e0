package asyncio.tests;

import asyncio.api.transports.BaseTransport;

/** A recording protocol that pauses reading as soon as it is connected: a peer that does not drain. */
class NotReading extends RecordingProtocol {
    @Override
    public void connectionMade(BaseTransport transport) {
        super.connectionMade(transport);
        transport().pauseReading();
    }
}

/**
 * The examples of the asyncio documentation, in Java, and the demo. They compile against
 * {@code asyncio.api} alone: the policy and the loop bind at run time through services.
 */
module asyncio.examples {
    requires asyncio.api;
}

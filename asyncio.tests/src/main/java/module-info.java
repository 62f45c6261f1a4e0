/**
 * The conformance suite: its tests (under src/test) run once per supported loop provider. The
 * module itself only gathers what the suite runs against.
 */
module asyncio.tests {
    requires asyncio.spi;
    requires asyncio.selector;
}

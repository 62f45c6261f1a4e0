/**
 * Command-line tools that look inside a running JVM from outside, as {@code python -m asyncio ps}
 * and {@code pstree} do: they attach through the Attach API, start the JVM's local management
 * agent, and read each loop's {@code asyncio:type=EventLoop} MXBean. They need no asyncio module.
 */
module asyncio.tools {
    requires transitive java.management;
    requires jdk.attach;
    // The local management agent speaks RMI.
    requires java.management.rmi;

    exports asyncio.tools;
}

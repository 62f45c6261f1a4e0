package asyncio.spi;

/** Reads whether debug mode is on by default: {@code -Dasyncio.debug=true} or {@code ASYNCIO_DEBUG=1}. */
final class DebugMode {
    private DebugMode() {
    }

    static boolean enabledByEnvironment() {
        String property = System.getProperty("asyncio.debug");
        if (property != null) {
            return isTrue(property);
        }
        String environment = System.getenv("ASYNCIO_DEBUG");
        return environment != null && isTrue(environment);
    }

    private static boolean isTrue(String value) {
        String text = value.trim();
        return text.equals("1") || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("yes");
    }
}

package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.spi.EventLoopProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The provider {@code proactor}: found by ServiceLoader, first in priority, and refused off Windows with the reason. */
class WindowsEventLoopProviderTest {
    @Test
    void serviceLoaderFindsTheProactorProvider() {
        boolean found = ServiceLoader.load(EventLoopProvider.class).stream()
                .anyMatch(provider -> provider.type() == WindowsEventLoopProvider.class);
        assertTrue(found);
        assertEquals("proactor", new WindowsEventLoopProvider().name());
    }

    @Test
    void itOutranksEpollAndTheSelectorWhereItIsSupported() {
        assertTrue(new WindowsEventLoopProvider().priority() > 20);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void offWindowsTheProbeRefusesAndSaysWhy() {
        WindowsEventLoopProvider provider = new WindowsEventLoopProvider();
        assertFalse(provider.isSupported());
        assertTrue(provider.unsupportedReason().startsWith("not Windows"), provider.unsupportedReason());
    }
}

package asyncio.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.epoll.NativeChildren;
import org.junit.jupiter.api.Test;

/** The provider's answer on child processes, apart from its probe of the loop itself. */
class UringEventLoopProviderTest {

    @Test
    void aSpawnerThatLacksPidfdOpenMeansNoChildrenWithItsReason() {
        String reason = UringEventLoopProvider.subprocessReason("pidfd_open failed (Linux 5.3+): Function not implemented");
        assertTrue(reason.contains("uring") && reason.contains("pidfd_open failed (Linux 5.3+)"), reason);
    }

    @Test
    void aSpawnerThatWorksMeansChildren() {
        assertNull(UringEventLoopProvider.subprocessReason(null));
    }

    @Test
    void theProviderAnswersWhatTheSpawnersProbeFinds() {
        String spawner = NativeChildren.unsupportedReason();
        String answer = new UringEventLoopProvider().subprocessUnsupportedReason();
        assertEquals(spawner == null, answer == null, answer);
    }
}

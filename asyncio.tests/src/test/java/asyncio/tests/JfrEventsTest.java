package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.extension.ExtendWith;

/** The loop's JFR events, read back from a recording file as JDK Mission Control reads them. */
@ExtendWith(NoDescriptorLeaks.class)
class JfrEventsTest {

    @LoopTest
    void aSlowTaskStepIsRecordedWithTheTasksNameWithoutDebugMode(LoopKind kind) throws Exception {
        Path file = Files.createTempFile("asyncio-jfr", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("asyncio.SlowCallback").withThreshold(Duration.ofMillis(20));
            recording.start();
            kind.run(() -> Asyncio.createTask(() -> {
                busy(Duration.ofMillis(60));
                return null;
            }, "slowpoke").await());
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(event -> event.getEventType().getName().equals("asyncio.SlowCallback"))
                    // A cold JVM's first steps can be slow too: only the busy task's step is the point.
                    .filter(event -> event.getString("callback").replaceAll(" wait_for=.*", "").contains("name='slowpoke'"))
                    .toList();
            assertEquals(1, events.size(), "the busy step, once: " + events);
            RecordedEvent event = events.get(0);
            assertTrue(event.getString("callback").contains("name='slowpoke'"), event.getString("callback"));
            assertTrue(event.getDuration().toMillis() >= 60, event.getDuration().toString());
            assertTrue(event.getString("loop").matches("\\w+-[0-9a-f]+"), event.getString("loop"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Holds the loop thread as a blocking call would; the recorded duration is the point. */
    private static void busy(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}

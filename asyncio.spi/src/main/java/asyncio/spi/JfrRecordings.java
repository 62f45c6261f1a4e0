package asyncio.spi;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Whether any JFR recording runs, kept in one volatile flag so that hot paths can skip their
 * events with a single read while none does. Asking an event {@code isEnabled()} is correct but
 * costs more than a flag on a path that runs once per loop iteration; when a recording runs, the
 * callers still ask their event, whose settings may have it disabled.
 *
 * <p>Registering the listener does not start JFR: it only asks to be told when JFR starts, and
 * when any recording starts or stops afterwards.
 */
public final class JfrRecordings {
    private static volatile boolean anyRunning;

    static {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                // A recording started on the command line exists before this listener hears of it.
                recount(recorder);
            }

            @Override
            public void recordingStateChanged(Recording recording) {
                recount(FlightRecorder.getFlightRecorder());
            }
        });
    }

    private JfrRecordings() {
    }

    /** False while no recording runs: then no event can be enabled. */
    public static boolean anyRunning() {
        return anyRunning;
    }

    private static void recount(FlightRecorder recorder) {
        anyRunning = recorder.getRecordings().stream().anyMatch(r -> r.getState() == RecordingState.RUNNING);
    }
}

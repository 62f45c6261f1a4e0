package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.internal.TaskObserver;
import asyncio.spi.tls.TlsHandshakeEvent;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

/**
 * Which of this project's JFR events a running recording wants, kept in static volatile fields so
 * that a hot path asks with one field read: no event object per call, and nothing at all for JFR
 * to do while nobody records. The fields are recomputed when a recording starts or stops (a
 * {@link FlightRecorderListener}) and at each {@link LoopLagEvent} period, so a setting changed on
 * a recording that is already running is seen within that period (or at the next start or stop
 * when that event is off). Public only for {@code asyncio.spi.tls}, whose handshake event it
 * switches too.
 */
// The listener methods are JFR's callbacks, not API: jdk.jfr stays a plain requires.
@SuppressWarnings("exports")
public final class JfrSwitch implements FlightRecorderListener {
    /** {@link SlowCallbackEvent}. */
    static volatile boolean slowCallback;
    /** {@link TaskCreatedEvent}, {@link TaskCancelledEvent}, {@link TaskDoneEvent}. */
    static volatile boolean taskCreated;
    static volatile boolean taskCancelled;
    static volatile boolean taskDone;
    /** {@link TransportOpenedEvent}, {@link TransportClosedEvent}. */
    static volatile boolean transportOpened;
    static volatile boolean transportClosed;
    /** {@link TlsHandshakeEvent}. */
    static volatile boolean tlsHandshake;

    static {
        // Adding a listener does not start JFR; recorderInitialized runs once it is up (or now).
        if (FlightRecorder.isAvailable()) {
            FlightRecorder.addListener(new JfrSwitch());
        }
    }

    private JfrSwitch() {
    }

    /** Loads this class, which starts listening to recordings; called as each loop is created. */
    static void listen() {
        // The static initializer did the work.
    }

    @Override
    public void recorderInitialized(FlightRecorder recorder) {
        // The lag sampler is also the periodic re-check of the fields.
        FlightRecorder.addPeriodicEvent(LoopLagEvent.class, LoopLagSampler::sample);
        refresh();
    }

    @Override
    public void recordingStateChanged(Recording recording) {
        // Called after the recorder applied the settings of a started or stopped recording.
        refresh();
    }

    /** Recomputes every field from the recordings now running. */
    static synchronized void refresh() {
        slowCallback = wanted(SlowCallbackEvent.class);
        taskCreated = wanted(TaskCreatedEvent.class);
        taskCancelled = wanted(TaskCancelledEvent.class);
        taskDone = wanted(TaskDoneEvent.class);
        transportOpened = wanted(TransportOpenedEvent.class);
        transportClosed = wanted(TransportClosedEvent.class);
        tlsHandshake = wanted(TlsHandshakeEvent.class);
        boolean tasks = taskCreated || taskCancelled || taskDone;
        if ((TaskObserver.installed() != null) != tasks) {
            TaskObserver.install(tasks ? TaskEvents.INSTANCE : null);
        }
    }

    /** Whether the event is enabled in a running recording (thresholds are left to the event). */
    private static boolean wanted(Class<? extends Event> event) {
        return EventType.getEventType(event).isEnabled();
    }

    /** Whether a running recording wants {@link TlsHandshakeEvent}: asked by the TLS package. */
    public static boolean tlsHandshakeWanted() {
        return tlsHandshake;
    }

    /** How the events name a loop: its class and identity, as its MXBean does. */
    public static String loopName(EventLoop loop) {
        return loop.getClass().getSimpleName() + "-" + Integer.toHexString(System.identityHashCode(loop));
    }
}

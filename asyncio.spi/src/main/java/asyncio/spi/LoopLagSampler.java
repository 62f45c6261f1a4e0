package asyncio.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Takes the {@link LoopLagEvent} samples: JFR's periodic thread calls {@link #sample()} while a
 * recording enables that event, and it sends one timed callback to each running loop. A loop
 * that has not yet run its previous probe gets no second one, so a stuck loop is not flooded.
 * Nothing runs on a loop while nobody records.
 */
final class LoopLagSampler {
    /** Every loop not yet closed, with whether its probe is still queued; weak, so a dropped loop is not kept. */
    private static final Map<BaseEventLoop, AtomicBoolean> LOOPS = Collections.synchronizedMap(new WeakHashMap<>());

    private LoopLagSampler() {
    }

    static void loopCreated(BaseEventLoop loop) {
        LOOPS.put(loop, new AtomicBoolean());
    }

    static void loopClosed(BaseEventLoop loop) {
        LOOPS.remove(loop);
    }

    /** The periodic hook; also re-reads which events the recordings want. */
    static void sample() {
        JfrSwitch.refresh();
        List<Map.Entry<BaseEventLoop, AtomicBoolean>> loops;
        synchronized (LOOPS) {
            loops = new ArrayList<>(LOOPS.entrySet());
        }
        for (Map.Entry<BaseEventLoop, AtomicBoolean> entry : loops) {
            BaseEventLoop loop = entry.getKey();
            AtomicBoolean queued = entry.getValue();
            if (loop != null && loop.isRunning() && queued.compareAndSet(false, true)) {
                probe(loop, queued);
            }
        }
    }

    private static void probe(BaseEventLoop loop, AtomicBoolean queued) {
        LoopLagEvent event = new LoopLagEvent();
        event.begin();
        try {
            loop.callSoonThreadsafe(() -> {
                event.end();
                queued.set(false);
                if (event.shouldCommit()) {
                    event.loop = JfrSwitch.loopName(loop);
                    event.readyQueueLength = loop.readyCount();
                    event.commit();
                }
            });
        } catch (RuntimeException closed) {
            // The loop closed between the check and the send: no sample, and none pending.
            queued.set(false);
        }
    }
}

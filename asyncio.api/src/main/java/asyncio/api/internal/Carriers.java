package asyncio.api.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the JVM-wide coroutine carrier: {@code -Dasyncio.coroutines=continuation|virtual}
 * forces one; otherwise continuations when the JVM grants them, else virtual threads.
 */
public final class Carriers {
    /** The flag that grants continuations to this module. */
    public static final String CONTINUATION_FLAG = "--add-exports java.base/jdk.internal.vm=asyncio.api"
            + " (=ALL-UNNAMED on the class path)";

    private static final Logger LOG = LoggerFactory.getLogger("asyncio.coroutines");
    private static final String REFUSAL;
    private static final Carrier CARRIER;
    private static final String WHY;

    static {
        // A bad -Dasyncio.coroutines must fail every task with a clear error, not break this class.
        Carrier chosen = null;
        String refusal = null;
        try {
            chosen = choose();
        } catch (IllegalStateException refused) {
            refusal = refused.getMessage();
        }
        CARRIER = chosen;
        REFUSAL = refusal;
        WHY = chosen == null ? refusal : explain();
    }

    private static volatile boolean reported;

    private Carriers() {
    }

    /** The carrier every task of this JVM runs on. */
    public static Carrier carrier() {
        if (CARRIER == null) {
            throw new IllegalStateException(REFUSAL);
        }
        if (!reported) {
            reported = true;
            LOG.info("tasks run on the {} carrier: {}", CARRIER.name(), WHY);
        }
        return CARRIER;
    }

    /** One sentence saying which carrier runs and why. */
    public static String description() {
        return CARRIER == null ? "none (" + REFUSAL + ")" : CARRIER.name() + " (" + WHY + ")";
    }

    private static Carrier choose() {
        String forced = System.getProperty("asyncio.coroutines", "").trim();
        switch (forced) {
            case "virtual":
                return new VirtualThreadCarrier();
            case "continuation": {
                String why = ContinuationCarrier.unavailableReason();
                if (why != null) {
                    throw new IllegalStateException("-Dasyncio.coroutines=continuation, but JDK continuations are"
                            + " not available: " + why + "; run the JVM with " + CONTINUATION_FLAG);
                }
                return new ContinuationCarrier();
            }
            case "":
                return ContinuationCarrier.unavailableReason() == null
                        ? new ContinuationCarrier() : new VirtualThreadCarrier();
            default:
                throw new IllegalStateException("unknown -Dasyncio.coroutines=" + forced
                        + "; expected continuation or virtual");
        }
    }

    private static String explain() {
        if (CARRIER instanceof ContinuationCarrier) {
            return "JDK continuations on the loop thread";
        }
        String forced = System.getProperty("asyncio.coroutines", "").trim();
        if (forced.equals("virtual")) {
            return "virtual threads, forced by -Dasyncio.coroutines=virtual";
        }
        return "virtual threads with a hand-off, because JDK continuations are not available ("
                + ContinuationCarrier.unavailableReason() + "); run the JVM with " + CONTINUATION_FLAG
                + " for the fast carrier";
    }
}

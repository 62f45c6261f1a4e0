package asyncio.api.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Runs tasks as JDK continuations on the loop thread itself: a suspend is a
 * {@code Continuation.yield}, a resume is {@code Continuation.run}. The class is internal to the
 * JDK, so it is reached through method handles (the code still compiles with {@code --release 21})
 * and works only when the JVM exports {@code jdk.internal.vm} to this module.
 */
final class ContinuationCarrier implements Carrier {
    private static final MethodHandle NEW_CONTINUATION;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    private static final MethodHandle STACK_TRACE;
    private static final String UNAVAILABLE;

    static {
        MethodHandle newContinuation = null;
        MethodHandle run = null;
        MethodHandle yield = null;
        MethodHandle isDone = null;
        MethodHandle stackTrace = null;
        String unavailable = null;
        try {
            Class<?> scopeType = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> type = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Object scope = lookup.findConstructor(scopeType, MethodType.methodType(void.class, String.class))
                    .invoke("asyncio");
            newContinuation = MethodHandles.insertArguments(
                    lookup.findConstructor(type, MethodType.methodType(void.class, scopeType, Runnable.class)), 0, scope)
                    .asType(MethodType.methodType(Object.class, Runnable.class));
            run = lookup.findVirtual(type, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = MethodHandles.insertArguments(
                    lookup.findStatic(type, "yield", MethodType.methodType(boolean.class, scopeType)), 0, scope);
            isDone = lookup.findVirtual(type, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            stackTrace = lookup.findVirtual(type, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
        } catch (Throwable error) {
            unavailable = error.toString();
        }
        NEW_CONTINUATION = newContinuation;
        RUN = run;
        YIELD = yield;
        IS_DONE = isDone;
        STACK_TRACE = stackTrace;
        UNAVAILABLE = unavailable;
    }

    /** Why continuations cannot be used here, or null when they can (checked by a real yield). */
    static String unavailableReason() {
        if (UNAVAILABLE != null) {
            return UNAVAILABLE;
        }
        try {
            Strand probe = new ContinuationCarrier().newStrand("probe", () -> Strand.class.getName());
            probe.resume();
            return probe.isDone() ? null : "the probe continuation did not finish";
        } catch (Throwable error) {
            return error.toString();
        }
    }

    @Override
    public String name() {
        return "continuation";
    }

    @Override
    public Strand newStrand(String name, Runnable body) {
        try {
            return new ContinuationStrand(NEW_CONTINUATION.invokeExact(body));
        } catch (Throwable error) {
            throw Throwables.sneaky(error);
        }
    }

    private record ContinuationStrand(Object continuation) implements Strand {
        @Override
        public void resume() {
            try {
                RUN.invokeExact(continuation);
            } catch (Throwable error) {
                throw Throwables.sneaky(error);
            }
        }

        @Override
        public void suspend() {
            try {
                boolean yielded = (boolean) YIELD.invokeExact();
                if (!yielded) {
                    throw new IllegalStateException("the task's continuation could not yield");
                }
            } catch (IllegalStateException pinned) {
                // The JDK refuses to yield a pinned continuation (a class initializer or a native
                // frame on the stack, a monitor held before JDK 24): report it instead of hanging.
                throw new IllegalStateException("cannot await here: the task's continuation is pinned ("
                        + pinned.getMessage() + "); do not await inside a class initializer, from inside a"
                        + " native call, or (before JDK 24) while holding a monitor", pinned);
            } catch (Throwable error) {
                throw Throwables.sneaky(error);
            }
        }

        @Override
        public boolean isDone() {
            try {
                return (boolean) IS_DONE.invokeExact(continuation);
            } catch (Throwable error) {
                throw Throwables.sneaky(error);
            }
        }

        @Override
        public StackTraceElement[] stackTrace() {
            try {
                return (StackTraceElement[]) STACK_TRACE.invokeExact(continuation);
            } catch (Throwable error) {
                return new StackTraceElement[0];
            }
        }
    }
}

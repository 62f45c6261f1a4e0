package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.KeyboardInterrupt;
import asyncio.api.Runner;
import asyncio.api.Task;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ctrl-C (SIGINT) during {@code Runner.run} cancels the main task, as Python 3.11+ does. */
@ExtendWith(NoDescriptorLeaks.class)
class RunnerInterruptTest {

    private static void sendSigint() {
        Posix.raise("INT");
    }

    @LoopTest
    void sigintCancelsTheMainTaskAndSurfacesAsKeyboardInterrupt(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            KeyboardInterrupt interrupt = assertThrows(KeyboardInterrupt.class, () -> runner.run(() -> {
                sendSigint();
                Asyncio.sleep(LoopbackPeers.BOUND);
                return null;
            }));
            assertTrue(interrupt.getCause() instanceof CancelledError);
        }
    }

    @LoopTest
    void aMainTaskThatAbsorbsTheInterruptFinishesNormally(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            String result = runner.run(() -> {
                try {
                    sendSigint();
                    Asyncio.sleep(LoopbackPeers.BOUND);
                    return "slept";
                } catch (CancelledError cancelled) {
                    Asyncio.currentTask().uncancel();
                    return "cleaned up";
                }
            });
            assertEquals("cleaned up", result);
        }
    }

    /**
     * Sends SIGINT and returns once the runner's handler has taken it. The JVM hands a signal to
     * its handler on a thread of its own, some time after kill(2) returned; Python's tests
     * interrupt the main thread synchronously instead ({@code _thread.interrupt_main}). Here the
     * handler in place (the runner's) is wrapped for the one signal, so the caller can wait for
     * it, boundedly, and put it back. Reached by method handles: javac warns about sun.misc.
     */
    private static void sendSigintAndWaitForItsHandler() throws Exception {
        try {
            wrapTheHandlerAndSendSigint();
        } catch (Exception | Error failed) {
            throw failed;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        }
    }

    private static void wrapTheHandlerAndSendSigint() throws Throwable {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Object sigint = lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class)).invoke("INT");
        MethodHandle handle = lookup.findStatic(signalType, "handle", MethodType.methodType(handlerType, signalType, handlerType));
        MethodHandle handleSignal = lookup.findVirtual(handlerType, "handle", MethodType.methodType(void.class, signalType));
        CountDownLatch handled = new CountDownLatch(1);
        Object[] runners = new Object[1];
        Object wrapper = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "handle" -> {
                        try {
                            handleSignal.invoke(runners[0], arguments[0]);
                        } finally {
                            handled.countDown();
                        }
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> "the runner's SIGINT handler, watched by the test";
                });
        runners[0] = handle.invoke(sigint, wrapper);
        try {
            sendSigint();
            assertTrue(handled.await((long) LoopbackPeers.BOUND, TimeUnit.SECONDS), "SIGINT never reached its handler");
        } finally {
            handle.invoke(sigint, runners[0]);
        }
    }

    @LoopTest
    void aSigintAfterASubtaskCancelledTheMainTaskLeavesTheCancellationAlone(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            assertThrows(CancelledError.class, () -> runner.run(() -> {
                Task<?> main = Asyncio.currentTask();
                Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    main.cancel();
                    sendSigintAndWaitForItsHandler();
                    return null;
                });
                Asyncio.sleep(LoopbackPeers.BOUND);
                return null;
            }));
        }
    }

    @LoopTest
    void aSigintTakenWhileTheMainTaskRunsCancelsItEvenIfItReturnsFirst(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            assertThrows(KeyboardInterrupt.class, () -> runner.run(() -> {
                sendSigintAndWaitForItsHandler();
                return "returned without awaiting";
            }));
        }
    }

    @LoopTest
    void aSigintIsCountedAtOnceAndSurfacesAsKeyboardInterrupt(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            KeyboardInterrupt interrupt = assertThrows(KeyboardInterrupt.class, () -> runner.run(() -> {
                sendSigintAndWaitForItsHandler();
                Asyncio.sleep(LoopbackPeers.BOUND);
                return null;
            }));
            assertTrue(interrupt.getCause() instanceof CancelledError);
        }
    }
}

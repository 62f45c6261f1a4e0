package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.internal.AtSignal;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A loop's UNIX signal handlers: the JVM's signal thread hands each signal to the loop with
 * {@code callSoonThreadsafe}, so callbacks run on the loop thread. Mirrors
 * {@code add_signal_handler}/{@code remove_signal_handler} of the Unix loops. {@code sun.misc.Signal}
 * (module jdk.unsupported) is reached through method handles, because javac warns about every
 * direct use of it and the build treats warnings as errors. The proactor loop uses it for the
 * runner's Ctrl-C only.
 */
public final class SignalHandlers {
    /** Signals no process can catch; asyncio refuses them the same way. */
    private static final Set<String> UNCATCHABLE = Set.of("KILL", "STOP");

    private static final Class<?> HANDLER_TYPE;
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle HANDLE;
    private static final MethodHandle GET_NUMBER;
    /** The names sun.misc.Signal may know (it takes names only); numbers are looked up among them. */
    private static final String[] NAMES = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "EMT", "INFO"};

    static {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            HANDLER_TYPE = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEW_SIGNAL = lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class));
            GET_NUMBER = lookup.findVirtual(signalType, "getNumber", MethodType.methodType(int.class));
            HANDLE = lookup.findStatic(signalType, "handle", MethodType.methodType(HANDLER_TYPE, signalType, HANDLER_TYPE));
        } catch (ReflectiveOperationException missing) {
            throw new ExceptionInInitializerError(missing);
        }
    }

    private final EventLoop loop;
    private final Map<String, Object> previous = new HashMap<>();

    /** Handlers whose callbacks {@code loop} runs. */
    public SignalHandlers(EventLoop loop) {
        this.loop = loop;
    }

    /** Installs {@code callback} for {@code signal} (a name, with or without SIG). Mirrors {@code add_signal_handler}. */
    public void add(String signal, Runnable callback) {
        String name = normalize(signal);
        if (UNCATCHABLE.contains(name)) {
            throw new IllegalArgumentException("sig " + signal + " cannot be caught");
        }
        Object target = signal(name, signal);
        Object handler = Proxy.newProxyInstance(HANDLER_TYPE.getClassLoader(), new Class<?>[] {HANDLER_TYPE},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "handle" -> {
                        deliver(callback);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> "asyncio signal handler for SIG" + name;
                });
        Object old;
        try {
            old = HANDLE.invoke(target, handler);
        } catch (IllegalArgumentException reserved) {
            throw new IllegalArgumentException("sig " + signal + " cannot be caught: " + reserved.getMessage(), reserved);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot install a handler for " + signal, unexpected);
        }
        previous.putIfAbsent(name, old);
    }

    private void deliver(Runnable callback) {
        if (callback instanceof AtSignal immediate) {
            immediate.atSignal();
        }
        try {
            loop.callSoonThreadsafe(callback);
        } catch (IllegalStateException loopClosed) {
            // The loop is gone; the signal has nobody to go to.
        }
    }

    private static Object signal(String name, String asGiven) {
        try {
            return NEW_SIGNAL.invoke(name);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("sig " + asGiven + " is not a known signal here", unknown);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot name signal " + asGiven, unexpected);
        }
    }

    /**
     * The name of signal number {@code signum}, or IllegalArgumentException for a number that is no
     * signal here (asyncio's {@code _check_signal} raises ValueError "invalid signal number").
     */
    public static String nameOf(int signum) {
        for (String name : NAMES) {
            try {
                if ((int) GET_NUMBER.invoke(NEW_SIGNAL.invoke(name)) == signum) {
                    return name;
                }
            } catch (IllegalArgumentException unknownHere) {
                // Not a signal on this system: try the next name.
            } catch (Throwable unexpected) {
                throw new IllegalStateException("cannot name signal " + signum, unexpected);
            }
        }
        throw new IllegalArgumentException("invalid signal number " + signum);
    }

    /**
     * Raises for a name that is no signal here, as asyncio's {@code _check_signal} does before
     * removing anything (a ValueError there); a signal that merely has no handler is fine.
     */
    public static void check(String signal) {
        signal(normalize(signal), signal);
    }

    /** Puts back the handler {@code signal} had before; whether this set one. Mirrors {@code remove_signal_handler}. */
    public boolean remove(String signal) {
        String name = normalize(signal);
        check(signal);
        Object old = previous.remove(name);
        if (old == null) {
            return false;
        }
        try {
            HANDLE.invoke(signal(name, signal), old);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot restore the handler of " + signal, unexpected);
        }
        return true;
    }

    /** Puts back every handler this replaced, as the loop closes. */
    public void removeAll() {
        for (String name : Set.copyOf(previous.keySet())) {
            remove(name);
        }
    }

    private static String normalize(String signal) {
        Objects.requireNonNull(signal, "signal");
        String name = signal.trim().toUpperCase(Locale.ROOT);
        return name.startsWith("SIG") ? name.substring(3) : name;
    }
}

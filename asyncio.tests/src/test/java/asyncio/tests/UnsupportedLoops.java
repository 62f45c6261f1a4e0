package asyncio.tests;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Reports every case of a loop the matrix asked for but whose probe refused it (io_uring in a
 * container that forbids it, say) as skipped, with the probe's reason, instead of running it or
 * leaving it out unseen. Registered for every test class (META-INF/services); looks at the
 * {@link LoopKind} arguments of each parameterised case, cross-loop pairs too. Cases marked
 * {@link SpawnsChildren} are skipped the same way on a loop that runs but cannot start children.
 */
public final class UnsupportedLoops implements InvocationInterceptor {
    /** Found by the JUnit extension autodetection. */
    public UnsupportedLoops() {
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        Method method = invocationContext.getExecutable();
        for (Object argument : invocationContext.getArguments()) {
            if (argument instanceof LoopKind kind) {
                String reason = skipReason(kind, spawnsChildren(method));
                if (reason != null) {
                    invocation.skip();
                    throw new TestAbortedException(reason);
                }
            }
        }
        invocation.proceed();
    }

    /** Why a case on {@code kind} is skipped (one that starts children when {@code spawns}), or null to run it. */
    static String skipReason(LoopKind kind, boolean spawns) {
        if (kind.unsupportedReason() != null) {
            return "the " + kind + " loop is not supported here: " + kind.unsupportedReason();
        }
        String noChildren = spawns ? kind.provider().subprocessUnsupportedReason() : null;
        return noChildren == null ? null : "the " + kind + " loop cannot start child processes here: " + noChildren;
    }

    private static boolean spawnsChildren(Method method) {
        return method != null && (method.isAnnotationPresent(SpawnsChildren.class)
                || method.getDeclaringClass().isAnnotationPresent(SpawnsChildren.class));
    }
}

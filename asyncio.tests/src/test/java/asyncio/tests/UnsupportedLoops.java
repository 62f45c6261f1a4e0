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
 * {@link LoopKind} arguments of each parameterised case, cross-loop pairs too.
 */
public final class UnsupportedLoops implements InvocationInterceptor {
    /** Found by the JUnit extension autodetection. */
    public UnsupportedLoops() {
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        for (Object argument : invocationContext.getArguments()) {
            if (argument instanceof LoopKind kind && kind.unsupportedReason() != null) {
                invocation.skip();
                throw new TestAbortedException("the " + kind + " loop is not supported here: " + kind.unsupportedReason());
            }
        }
        invocation.proceed();
    }
}

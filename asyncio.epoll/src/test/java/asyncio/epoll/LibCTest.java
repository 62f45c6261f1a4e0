package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.epoll.ffi.LibC;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class LibCTest {
    /** jnr-ffi's x86-64 stubs pass a sixth argument wrongly (see LibC): a binding must not have one. */
    @Test
    void noBindingTakesSixArguments() {
        for (Method method : LibC.class.getMethods()) {
            assertTrue(method.getParameterCount() < 6, method + " takes six or more arguments");
        }
    }
}

package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.epoll.ffi.LibC;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LibCTest {
    /**
     * jnr-ffi's x86-64 stubs pass a sixth argument wrongly (see LibC): a binding must not have one,
     * unless a parameter needs marshalling (an array, as posix_spawnp's pid), which keeps jnr-ffi
     * off those stubs. The spawn tests show that path right: envp is the sixth argument.
     */
    @Test
    void noBindingTakesSixPrimitiveArguments() {
        for (Method method : LibC.class.getMethods()) {
            boolean marshalled = Arrays.stream(method.getParameterTypes()).anyMatch(type -> !type.isPrimitive());
            assertTrue(method.getParameterCount() < 6 || marshalled, method + " takes six or more primitive arguments");
        }
    }
}

package asyncio.bench;

/**
 * The JVM arguments of the benchmark forks. The coroutine carrier is chosen once per JVM, so each
 * benchmark class has a {@code Continuation} and a {@code Virtual} subclass whose {@code @Fork}
 * forces it; every fork also gets the flags the project's launchers pass.
 */
final class Forks {
    static final String CONTINUATIONS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String CONTINUATION = "-Dasyncio.coroutines=continuation";
    static final String VIRTUAL = "-Dasyncio.coroutines=virtual";

    private Forks() {
    }
}

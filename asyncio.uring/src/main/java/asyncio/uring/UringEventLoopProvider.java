package asyncio.uring;

import asyncio.api.EventLoop;
import asyncio.epoll.NativeChildren;
import asyncio.spi.EventLoopProvider;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;

/**
 * Provides {@link UringEventLoop} under the name {@code uring}. Its probe asks the kernel: Linux,
 * jnr-ffi binds the C library, {@code io_uring_setup} answers with the features the loop needs,
 * and {@code IORING_REGISTER_PROBE} lists every opcode it must submit (accept and connect fall back
 * to readiness without theirs). Below epoll in priority (about 0.9x epoll's CPU per request at 1 KiB
 * x 100 echoes and at par at 100 KiB: not clearly ahead, docs/performance.md), so it is chosen by
 * name ({@code -Dasyncio.loop=uring}); the whole conformance suite runs on it wherever the probe
 * passes (docs/decisions.md).
 */
public final class UringEventLoopProvider implements EventLoopProvider {
    static final String NAME = "uring";
    private static final int[] NEEDED = {
        Kernel.IORING_OP_RECV, Kernel.IORING_OP_SEND, Kernel.IORING_OP_RECVMSG, Kernel.IORING_OP_SENDMSG,
        Kernel.IORING_OP_POLL_ADD, Kernel.IORING_OP_READ, Kernel.IORING_OP_WRITE, Kernel.IORING_OP_ASYNC_CANCEL,
    };
    private static final String[] NEEDED_NAMES = {
        "RECV", "SEND", "RECVMSG", "SENDMSG", "POLL_ADD", "READ", "WRITE", "ASYNC_CANCEL",
    };

    /** The provider; found by {@link java.util.ServiceLoader}. */
    public UringEventLoopProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        // Below epoll (20): chosen by name until the echo benchmark shows it clearly cheaper (issue 15's 0.8x).
        return 15;
    }

    @Override
    public String unsupportedReason() {
        return kernelReason();
    }

    /**
     * The loop runs without them, but its children need what asyncio.epoll's NativeChildren needs
     * (pidfd_open, Linux 5.3+; glibc's posix_spawn file actions): no ProcessBuilder fallback here,
     * since the ring polls the child's pidfd. Kept apart from the loop's probe so that a kernel
     * without pidfds still runs every other case on uring.
     */
    @Override
    public String subprocessUnsupportedReason() {
        return subprocessReason(NativeChildren.unsupportedReason());
    }

    /** The provider's answer from the spawner's ({@code spawnerReason}: null when it can spawn). */
    static String subprocessReason(String spawnerReason) {
        return spawnerReason == null ? null : "the uring loop cannot start children here: " + spawnerReason;
    }

    /** Why io_uring cannot run here, or null when it can. */
    public static String kernelReason() {
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            return "io_uring is Linux only (os.name=" + os + ")";
        }
        try {
            if (Kernel.loadFailure() != null) {
                return "jnr-ffi cannot bind the C library: " + Kernel.loadFailure();
            }
            if (!Descriptors.available()) {
                return "the JDK hides the descriptors of NIO channels: run with " + Descriptors.FLAG;
            }
            return probe();
        } catch (RuntimeException | LinkageError failed) {
            return "the native binding failed: " + failed;
        }
    }

    private static String probe() {
        try (Ring ring = Ring.open(2)) {
            boolean[] supported = ring.supportedOpcodes();
            StringBuilder missing = new StringBuilder();
            for (int i = 0; i < NEEDED.length; i++) {
                if (!supported[NEEDED[i]]) {
                    missing.append(missing.isEmpty() ? "" : ", ").append("IORING_OP_").append(NEEDED_NAMES[i]);
                }
            }
            return missing.isEmpty() ? null : "this kernel's io_uring lacks " + missing;
        } catch (IOException refused) {
            // EPERM/ENOSYS: io_uring disabled (kernel.io_uring_disabled, seccomp in containers) or absent.
            return refused.getMessage();
        }
    }

    @Override
    public EventLoop newEventLoop() {
        return new UringEventLoop();
    }
}

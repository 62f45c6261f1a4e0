package asyncio.uring.ffi;

import jnr.ffi.annotations.In;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library calls the io_uring loop makes, bound by jnr-ffi. Memory is passed as raw addresses
 * ({@code @intptr_t long}) of direct buffers or mapped rings the caller owns. Calls return -1 and
 * set errno on failure; read it with {@link Kernel#errno()} right after, on the same thread.
 *
 * <p>The six-argument fault (asyncio.epoll's LibC): jnr-ffi 2.3.7's x86-64 stubs pass a sixth
 * argument wrongly. {@code io_uring_enter} through {@code syscall()} takes seven and {@code mmap}
 * six, so both carry an array parameter, which jnr-ffi must marshal and which therefore keeps it off
 * those stubs: {@code io_uring_enter}'s extended argument is a {@code long[]} (the kernel reads it
 * during the call, so a temporary copy is right), and {@code mmap} gets a trailing dummy
 * {@code int[]} the C function never reads (an extra argument is harmless in the C calling
 * conventions: the caller pushes and pops it). {@code RingTest} checks both on this kernel.
 */
public interface UringLibC {
    /** {@code io_uring_setup(entries, params)}: returns the ring's descriptor. */
    @intptr_t long syscall(@intptr_t long number, @intptr_t long first, @intptr_t long second);

    /** {@code io_uring_register(fd, opcode, arg, count)}. */
    @intptr_t long syscall(@intptr_t long number, @intptr_t long first, @intptr_t long second,
                           @intptr_t long third, @intptr_t long fourth);

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}. {@code arg} is
     * {@code struct io_uring_getevents_arg} (sigmask, sigmask_sz and min_wait_usec, ts) with
     * {@code IORING_ENTER_EXT_ARG}, or null.
     */
    @intptr_t long syscall(@intptr_t long number, int fd, int toSubmit, int minComplete, int flags,
                           @In long[] arg, @intptr_t long argSize);

    /** {@code mmap}; {@code offTheStubs} is never read by C (see the class comment). */
    @intptr_t long mmap(@intptr_t long address, @size_t long length, int protection, int flags, int fd,
                        @intptr_t long offset, @In int[] offTheStubs);

    int munmap(@intptr_t long address, @size_t long length);

    int eventfd(int initialValue, int flags);

    int close(int fd);

    @ssize_t long write(int fd, @intptr_t long buffer, @size_t long count);

    int shutdown(int fd, int how);

    int getsockopt(int fd, int level, int name, @intptr_t long value, @intptr_t long valueLength);

    /** The text of an errno value. */
    String strerror(int errno);
}

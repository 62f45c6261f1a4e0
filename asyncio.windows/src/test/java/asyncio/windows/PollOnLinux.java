package asyncio.windows;

import asyncio.windows.ffi.Win32Readiness;
import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;

/**
 * {@link Win32Readiness} for the tests, on Linux's {@code poll}: the WSAPOLLFD array the helper
 * fills is checked as Windows checks it (only POLLRDNORM/POLLWRNORM asked, no INVALID_SOCKET),
 * translated to {@code struct pollfd} over the same descriptors (the JDK's channels' fds stand for
 * their SOCKETs) and the answer translated back, so the readiness helper runs on real sockets while
 * the completion port runs on {@link FakeWinsock}. Records each call's asked events and answers.
 */
final class PollOnLinux implements Win32Readiness {
    /** libc's poll. */
    public interface LibC {
        @SaveError
        int poll(@intptr_t long fds, long count, int timeout);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final short LINUX_POLLIN = 0x001;
    private static final short LINUX_POLLOUT = 0x004;
    private static final short LINUX_POLLERR = 0x008;
    private static final short LINUX_POLLHUP = 0x010;
    private static final short LINUX_POLLNVAL = 0x020;

    /** One line per call: "WSAPoll n=COUNT" (calls from the helper thread). */
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile int lastError;

    @Override
    public int WSAPoll(long fds, int count, int timeout) {
        calls.add("WSAPoll n=" + count);
        ByteBuffer linux = ByteBuffer.allocateDirect(8 * count).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            long at = fds + (long) i * WSAPOLLFD_SIZE;
            long socket = MEMORY.getLong(at + WSAPOLLFD_FD);
            short events = MEMORY.getShort(at + WSAPOLLFD_EVENTS);
            if ((events & ~(POLLRDNORM | POLLWRNORM)) != 0 || events == 0 || socket == -1L) {
                throw new AssertionError("a WSAPOLLFD Windows refuses: socket " + socket + " events 0x"
                        + Integer.toHexString(events));
            }
            linux.putInt(i * 8, (int) socket);
            linux.putShort(i * 8 + 4, (short) (((events & POLLRDNORM) != 0 ? LINUX_POLLIN : 0)
                    | ((events & POLLWRNORM) != 0 ? LINUX_POLLOUT : 0)));
            linux.putShort(i * 8 + 6, (short) 0);
        }
        int result = LIBC.poll(MEMORY.getDirectBufferAddress(linux), count, timeout);
        if (result < 0) {
            lastError = asyncio.windows.ffi.WinApi.WSAEINVAL;
            return -1;
        }
        for (int i = 0; i < count; i++) {
            short revents = linux.getShort(i * 8 + 6);
            short windows = (short) (((revents & LINUX_POLLIN) != 0 ? POLLRDNORM : 0)
                    | ((revents & LINUX_POLLOUT) != 0 ? POLLWRNORM : 0)
                    | ((revents & LINUX_POLLERR) != 0 ? POLLERR : 0)
                    | ((revents & LINUX_POLLHUP) != 0 ? POLLHUP : 0)
                    | ((revents & LINUX_POLLNVAL) != 0 ? POLLNVAL : 0));
            MEMORY.putShort(fds + (long) i * WSAPOLLFD_SIZE + WSAPOLLFD_REVENTS, windows);
        }
        return result;
    }

    @Override
    public int lastError() {
        return lastError;
    }
}

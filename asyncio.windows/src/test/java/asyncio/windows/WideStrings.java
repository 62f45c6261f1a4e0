package asyncio.windows;

import com.kenai.jffi.MemoryIO;

/** What the fakes read of the UTF-16 strings Win32 calls are given. */
final class WideStrings {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private WideStrings() {
    }

    /** The NUL-terminated UTF-16 string at {@code address}. */
    static String read(long address) {
        StringBuilder text = new StringBuilder();
        for (long at = address; ; at += 2) {
            char c = (char) MEMORY.getShort(at);
            if (c == 0) {
                return text.toString();
            }
            text.append(c);
        }
    }
}

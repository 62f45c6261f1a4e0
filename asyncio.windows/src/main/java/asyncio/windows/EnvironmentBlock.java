package asyncio.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child's environment as {@code CreateProcessW} takes it with {@code CREATE_UNICODE_ENVIRONMENT}:
 * {@code NAME=value} strings in UTF-16LE, each ending in a NUL, sorted by name without regard to
 * case (Windows expects the block sorted so; it compares names upper-cased, ordinally), the block
 * ending in one more NUL (an empty environment is two NULs). As CPython's {@code _winapi}, a name
 * that is empty, holds {@code =} after its first character, or holds a NUL is refused, and so is
 * a value with a NUL; of names equal but for case, the one that comes later in the map is kept.
 */
final class EnvironmentBlock {
    private EnvironmentBlock() {
    }

    /** The block as a direct buffer (CreateProcessW reads it during the call only). */
    static ByteBuffer of(Map<String, String> environment) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            check(entry.getKey(), entry.getValue());
            entries.removeIf(earlier -> compare(earlier.getKey(), entry.getKey()) == 0);
            entries.add(entry);
        }
        entries.sort((a, b) -> compare(a.getKey(), b.getKey()));
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : entries) {
            text.append(entry.getKey()).append('=').append(entry.getValue()).append('\0');
        }
        if (entries.isEmpty()) {
            text.append('\0');
        }
        text.append('\0');
        ByteBuffer block = ByteBuffer.allocateDirect(text.length() * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < text.length(); i++) {
            block.putChar(text.charAt(i));
        }
        return block.flip();
    }

    private static void check(String name, String value) {
        if (name.isEmpty() || name.indexOf('=', 1) >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("illegal environment variable name: " + name);
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("embedded null character in the value of " + name);
        }
    }

    /** As CompareStringOrdinal with bIgnoreCase: UTF-16 units compared upper-cased. */
    static int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = Character.toUpperCase(a.charAt(i));
            char y = Character.toUpperCase(b.charAt(i));
            if (x != y) {
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}

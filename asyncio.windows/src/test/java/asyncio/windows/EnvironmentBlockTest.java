package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EnvironmentBlock}: the layout CreateProcessW with CREATE_UNICODE_ENVIRONMENT reads. */
class EnvironmentBlockTest {
    @Test
    void variablesAreUtf16NulSeparatedAndTheBlockEndsInTwoNuls() {
        ByteBuffer block = EnvironmentBlock.of(Map.of("A", "1"));
        assertTrue(block.isDirect(), "native memory, for the call");
        assertEquals(ByteOrder.LITTLE_ENDIAN, block.order());
        assertEquals("A=1\0\0", text(block));
        assertEquals(10, block.remaining(), "two bytes a character");
        assertEquals('A', block.get(0));
        assertEquals(0, block.get(1), "little-endian");
    }

    @Test
    void anEmptyEnvironmentIsTwoNuls() {
        assertEquals("\0\0", text(EnvironmentBlock.of(Map.of())));
    }

    @Test
    void namesAreSortedWithoutRegardToCase() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("path", "p");
        environment.put("Zeta", "z");
        environment.put("ALPHA", "a");
        environment.put("_under", "u"); // '_' (0x5F) sorts after the upper-cased letters, before none
        environment.put("Beta", "b");
        assertEquals("ALPHA=a\0Beta=b\0path=p\0Zeta=z\0_under=u\0\0", text(EnvironmentBlock.of(environment)));
    }

    @Test
    void ofNamesEqualButForCaseTheLaterIsKept() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("Path", "first");
        environment.put("PATH", "second");
        assertEquals("PATH=second\0\0", text(EnvironmentBlock.of(environment)));
    }

    @Test
    void textBeyondAsciiIsUtf16() {
        assertEquals("NAME=\u00e9\u4e2d\ud83d\ude00\0\0", text(EnvironmentBlock.of(Map.of("NAME", "\u00e9\u4e2d\ud83d\ude00"))));
    }

    @Test
    void aDriveVariableMayStartWithAnEqualsSign() {
        assertEquals("=C:=C:\\x\0\0", text(EnvironmentBlock.of(Map.of("=C:", "C:\\x"))));
    }

    @Test
    void badNamesAndValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.of(Map.of("", "x")));
        assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.of(Map.of("A=B", "x")));
        assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.of(Map.of("A\0", "x")));
        assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.of(Map.of("A", "x\0y")));
    }

    private static String text(ByteBuffer block) {
        byte[] bytes = new byte[block.remaining()];
        block.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_16LE);
    }
}

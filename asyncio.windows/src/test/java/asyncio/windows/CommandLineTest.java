package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandLine} quotes as {@code subprocess.list2cmdline}: checked on the cases its rules
 * name, and by parsing random argument lists back with the Microsoft C runtime's rules (what
 * the child's {@code main} sees), which must give the list again.
 */
class CommandLineTest {
    @Test
    void plainArgumentsAreJoinedBySpaces() {
        assertEquals("python -c pass", CommandLine.of(List.of("python", "-c", "pass")));
    }

    @Test
    void anArgumentWithASpaceOrTabOrNothingIsQuoted() {
        assertEquals("\"a b\" c", CommandLine.of(List.of("a b", "c")));
        assertEquals("\"a\tb\"", CommandLine.of(List.of("a\tb")));
        assertEquals("x \"\"", CommandLine.of(List.of("x", "")));
    }

    @Test
    void backslashesAreLiteralUnlessAQuoteFollows() {
        assertEquals("C:\\dir\\file \\", CommandLine.of(List.of("C:\\dir\\file", "\\")));
        assertEquals("a\\\\\\b", CommandLine.of(List.of("a\\\\\\b")));
    }

    @Test
    void aQuoteIsEscapedAndTheBackslashesBeforeItDoubled() {
        assertEquals("say\\\"hi\\\"", CommandLine.of(List.of("say\"hi\"")));
        // one backslash then a quote: the backslash doubled, the quote escaped
        assertEquals("a\\\\\\\"b", CommandLine.of(List.of("a\\\"b")));
    }

    @Test
    void trailingBackslashesOfAQuotedArgumentAreDoubled() {
        assertEquals("\"C:\\My Dir\\\\\"", CommandLine.of(List.of("C:\\My Dir\\")));
        assertEquals("\" \\\\\" d", CommandLine.of(List.of(" \\", "d")));
        // not quoted: a trailing backslash stays single
        assertEquals("C:\\dir\\", CommandLine.of(List.of("C:\\dir\\")));
    }

    @Test
    void aNulCannotBePassed() {
        assertThrows(IllegalArgumentException.class, () -> CommandLine.of(List.of("a\0b")));
    }

    @Test
    void randomArgumentListsSurviveTheChildsParser() {
        Random random = new Random(14);
        char[] alphabet = {'a', 'b', ' ', '\t', '\\', '"', 'é'};
        for (int round = 0; round < 5000; round++) {
            List<String> args = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                StringBuilder arg = new StringBuilder();
                int length = random.nextInt(7);
                for (int j = 0; j < length; j++) {
                    arg.append(alphabet[random.nextInt(alphabet.length)]);
                }
                args.add(arg.toString());
            }
            String line = CommandLine.of(args);
            assertEquals(args, parse(line), "through " + line);
        }
    }

    /**
     * cmdline-split.txt: lines in this quoting, split by Windows' CommandLineToArgvW under Wine
     * (src/test/c/cmdline_split.c); quoting what Windows got must give each line again.
     */
    @Test
    void quotingWhatWindowsSplitGivesTheLineAgain() throws java.io.IOException {
        List<String> lines;
        try (java.io.InputStream in = CommandLineTest.class.getResourceAsStream("cmdline-split.txt")) {
            org.junit.jupiter.api.Assertions.assertNotNull(in, "cmdline-split.txt is missing (run-under-wine.sh makes it)");
            lines = List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n"));
        }
        assertEquals("done", lines.get(lines.size() - 1), "Windows split every line");
        int checked = 0;
        for (String line : lines) {
            if (!line.startsWith("split ")) {
                continue;
            }
            String[] fields = line.split(" ");
            List<String> args = new ArrayList<>();
            for (int i = 2; i < fields.length; i++) {
                args.add(utf8(fields[i].substring(1)));
            }
            assertEquals(utf8(fields[1]), CommandLine.of(args), "Windows split it into " + args);
            checked++;
        }
        assertEquals(16, checked);
    }

    private static String utf8(String hex) {
        return new String(java.util.HexFormat.of().parseHex(hex), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aShellCommandIsPassedToComspecUnquoted() {
        List<String> shell = CommandLine.shell("echo \"a  b\" & exit 3");
        String comspec = shell.get(0);
        assertEquals(List.of(comspec, "/c", "echo \"a  b\" & exit 3"), shell);
        // the loop copies the list before it reaches the spawn: still a shell command
        List<String> copied = List.copyOf(shell);
        assertEquals(comspec + " /c \"echo \"a  b\" & exit 3\"", CommandLine.of(copied));
        assertEquals(comspec, CommandLine.application(copied));
    }

    @Test
    void anExplicitCmdIsQuotedLikeAnyProgram() {
        List<String> explicit = List.of("cmd.exe", "/c", "echo \"x\"");
        assertEquals("cmd.exe /c \"echo \\\"x\\\"\"", CommandLine.of(explicit));
        assertNull(CommandLine.application(explicit));
    }

    /**
     * The Microsoft C runtime's split (CommandLineToArgvW's rules since 2008): whitespace outside
     * quotes separates; 2n backslashes before a quote are n and the quote toggles quoting; 2n+1
     * are n and a literal quote; other backslashes are literal.
     */
    private static List<String> parse(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder arg = new StringBuilder();
        boolean inArg = false;
        boolean quoted = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (!quoted && (c == ' ' || c == '\t')) {
                if (inArg) {
                    args.add(arg.toString());
                    arg.setLength(0);
                    inArg = false;
                }
                i++;
            } else if (c == '\\') {
                int backslashes = 0;
                while (i < line.length() && line.charAt(i) == '\\') {
                    backslashes++;
                    i++;
                }
                inArg = true;
                if (i < line.length() && line.charAt(i) == '"') {
                    arg.repeat('\\', backslashes / 2);
                    if (backslashes % 2 == 1) {
                        arg.append('"');
                        i++;
                    }
                } else {
                    arg.repeat('\\', backslashes);
                }
            } else if (c == '"') {
                inArg = true;
                quoted = !quoted;
                i++;
            } else {
                inArg = true;
                arg.append(c);
                i++;
            }
        }
        if (inArg) {
            args.add(arg.toString());
        }
        return args;
    }
}

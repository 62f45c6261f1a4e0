package asyncio.windows;

import java.util.List;

/**
 * The one string {@code CreateProcessW} takes for a child's arguments, quoted so that the C
 * runtime's parser (the rules of {@code CommandLineToArgvW}) splits it back into the same list.
 * Mirrors {@code subprocess.list2cmdline}: an argument is put in double quotes when it is empty or
 * holds a space or tab; backslashes stand for themselves except in front of a double quote, where
 * they are doubled and the quote escaped; inside quotes, trailing backslashes are doubled so that
 * they do not escape the closing quote. A shell command ({@link #shell}) is passed as
 * {@code %COMSPEC% /c "command"} without any of this, as CPython passes {@code shell=True}.
 */
final class CommandLine {
    /** Not interned: compared by identity (see {@link #shell}). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String SHELL_SWITCH = new String("/c");

    private CommandLine() {
    }

    /** {@code args} as one command line. */
    static String of(List<String> args) {
        if (isShell(args)) {
            return args.get(0) + " /c \"" + args.get(2) + "\"";
        }
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (line.length() > 0) {
                line.append(' ');
            }
            append(line, arg);
        }
        return line.toString();
    }

    private static void append(StringBuilder line, String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("embedded null character in an argument");
        }
        boolean quoted = arg.isEmpty() || arg.indexOf(' ') >= 0 || arg.indexOf('\t') >= 0;
        if (quoted) {
            line.append('"');
        }
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
            } else if (c == '"') {
                // Each backslash before a quote escapes the next one; then the quote is escaped.
                line.repeat('\\', 2 * backslashes + 1).append('"');
                backslashes = 0;
            } else {
                line.repeat('\\', backslashes).append(c);
                backslashes = 0;
            }
        }
        line.repeat('\\', quoted ? 2 * backslashes : backslashes);
        if (quoted) {
            line.append('"');
        }
    }

    /**
     * {@code shell=True}: {@code command} run by {@code comspec} (the {@code COMSPEC} variable, else
     * {@code cmd.exe}), as the list {@code [comspec, "/c", command]} that getExtraInfo and errors
     * show. The loop copies the list ({@code List.copyOf}), which keeps its elements: the "/c" is
     * a string of its own, so {@link #of} knows a shell command by identity and passes it unquoted,
     * while an explicit {@code ["cmd.exe", "/c", ...]} from the application is quoted as usual.
     */
    static List<String> shell(String command) {
        String comspec = System.getenv("COMSPEC");
        return List.of(comspec == null || comspec.isEmpty() ? "cmd.exe" : comspec, SHELL_SWITCH, command);
    }

    /** The program {@code CreateProcessW} is given as lpApplicationName: the shell, else none (Windows searches). */
    static String application(List<String> args) {
        return isShell(args) ? args.get(0) : null;
    }

    @SuppressWarnings("StringEquality")
    private static boolean isShell(List<String> args) {
        return args.size() == 3 && args.get(1) == SHELL_SWITCH;
    }
}

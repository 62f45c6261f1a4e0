package asyncio.tools;

import asyncio.tools.RemoteTasks.TaskView;
import java.io.IOException;
import java.util.List;

/** The command line both tools share: one pid argument, the tasks read from it, printed by a format. */
final class Launcher {
    /** Turns the tasks into the text to print; raises {@link IllegalStateException} for what it refuses. */
    interface Format {
        String apply(List<TaskView> tasks);
    }

    private Launcher() {
    }

    /** Exits with 2 on a bad command line and 1 when the pid cannot be read or the format refuses. */
    static void run(String tool, String[] args, Format format) {
        if (args.length != 1 || !args[0].matches("\\d+")) {
            System.err.println("usage: " + tool + " PID");
            System.exit(2);
        }
        try {
            System.out.println(format.apply(RemoteTasks.read(Long.parseLong(args[0]))));
        } catch (IOException | IllegalStateException error) {
            System.err.println(tool + ": " + error.getMessage());
            System.exit(1);
        }
    }
}

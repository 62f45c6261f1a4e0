package asyncio.tools;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The tasks of every published loop of another JVM: attaches through the Attach API, starts its
 * local management agent (a no-op if it runs), and reads each {@code asyncio:type=EventLoop} MXBean.
 */
public final class RemoteTasks {
    private RemoteTasks() {
    }

    /** One pending task as the MXBean shows it; {@code stack} innermost first. */
    public record TaskView(long threadId, String id, String name, String state, List<String> stack,
            List<String> awaitedBy) {
    }

    /** The tasks of the JVM {@code pid}, loop by loop (in MXBean name order), each loop in creation order. */
    public static List<TaskView> read(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (com.sun.tools.attach.AttachNotSupportedException error) {
            throw new IOException("cannot attach to process " + pid + ": " + error.getMessage(), error);
        }
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                return read(connector.getMBeanServerConnection());
            }
        } finally {
            vm.detach();
        }
    }

    /** The tasks of every loop published on {@code server}. */
    public static List<TaskView> read(MBeanServerConnection server) throws IOException {
        List<TaskView> tasks = new ArrayList<>();
        try {
            for (ObjectName loop : new TreeSet<>(server.queryNames(new ObjectName("asyncio:type=EventLoop,*"), null))) {
                long threadId = (Long) server.getAttribute(loop, "ThreadId");
                for (CompositeData task : (CompositeData[]) server.getAttribute(loop, "Tasks")) {
                    tasks.add(new TaskView(threadId, (String) task.get("id"), (String) task.get("name"),
                            (String) task.get("state"), Arrays.asList((String[]) task.get("stack")),
                            Arrays.asList((String[]) task.get("awaitedBy"))));
                }
            }
        } catch (JMException error) {
            throw new IOException("cannot read the asyncio MXBeans: " + error, error);
        }
        return tasks;
    }

    /** {@code Class.method} of a frame written {@code package.Class.method File.java:12}, for the table. */
    static String function(String frame) {
        String qualified = frame.contains(" ") ? frame.substring(0, frame.indexOf(' ')) : frame;
        int method = qualified.lastIndexOf('.');
        int type = method > 0 ? qualified.lastIndexOf('.', method - 1) : -1;
        return qualified.substring(type + 1);
    }

    /** {@code Class.method File.java:12}: the frame without its package, for the tree. */
    static String location(String frame) {
        int space = frame.indexOf(' ');
        return space < 0 ? function(frame) : function(frame) + frame.substring(space);
    }
}

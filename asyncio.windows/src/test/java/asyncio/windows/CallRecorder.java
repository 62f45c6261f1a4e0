package asyncio.windows;

import asyncio.windows.ffi.Win32;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Win32} that records each call (lastError, which reads saved state, is not a call) in
 * the format the C programs of src/test/c trace their own, then makes it on another Win32.
 */
final class CallRecorder {
    final List<String> calls = new ArrayList<>();
    final Win32 win32;

    CallRecorder(Win32 target) {
        win32 = recorded(Win32.class, target, calls, null);
    }

    /**
     * {@code target} behind a proxy that adds each call made on {@code thread} (on any thread when
     * null) to {@code calls}, in the C programs' trace format.
     */
    @SuppressWarnings("unchecked")
    static <T> T recorded(Class<T> type, T target, List<String> calls, Thread thread) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (!method.getName().equals("lastError") && (thread == null || Thread.currentThread() == thread)) {
                calls.add(describe(method.getName(), args));
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException failed) {
                throw failed.getCause();
            }
        });
    }

    private static String describe(String name, Object[] args) {
        return switch (name) {
            case "WSAStartup" -> name + " version=0x" + Integer.toHexString((Short) args[0]);
            case "CreateIoCompletionPort" -> name + ((Long) args[0] == -1L ? " new" : " associate key=" + args[2]);
            case "WSASocketW" -> name + " af=" + args[0] + " type=" + args[1] + " protocol=" + args[2]
                    + " flags=0x" + Integer.toHexString((Integer) args[5]);
            case "SetFileCompletionNotificationModes" -> name + " flags=" + args[1];
            case "WSAIoctl" -> name + " code=0x" + Integer.toHexString((Integer) args[1]);
            case "setsockopt" -> name + " level=0x" + Integer.toHexString((Integer) args[1])
                    + " name=0x" + Integer.toHexString((Integer) args[2]);
            case "WSARecv", "WSASend", "WSARecvFrom", "WSASendTo" -> name + " buffers=" + args[2];
            case "PostQueuedCompletionStatus" -> name + " key=" + args[2];
            default -> name;
        };
    }
}

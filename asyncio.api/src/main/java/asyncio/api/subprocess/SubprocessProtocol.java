package asyncio.api.subprocess;

import asyncio.api.transports.BaseProtocol;
import java.nio.ByteBuffer;

/** What a child process's transport reports to its protocol. Mirrors {@code asyncio.SubprocessProtocol}. */
public interface SubprocessProtocol extends BaseProtocol {
    /** The child wrote {@code data} (valid during the call only) on {@code fd} 1 or 2. Mirrors {@code pipe_data_received()}. */
    default void pipeDataReceived(int fd, ByteBuffer data) {
    }

    /** Pipe {@code fd} (0, 1 or 2) closed; {@code error} is null after a regular close. Mirrors {@code pipe_connection_lost()}. */
    default void pipeConnectionLost(int fd, Throwable error) {
    }

    /** The child exited; its return code is on the transport. Mirrors {@code process_exited()}. */
    default void processExited() {
    }
}

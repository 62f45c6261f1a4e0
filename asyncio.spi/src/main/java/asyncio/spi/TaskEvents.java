package asyncio.spi;

import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.internal.TaskObserver;

/**
 * Records tasks as JFR events; installed by {@link JfrSwitch} only while a recording wants one of
 * them, so a task pays nothing more otherwise.
 */
final class TaskEvents implements TaskObserver {
    static final TaskEvents INSTANCE = new TaskEvents();

    private TaskEvents() {
    }

    @Override
    public void created(Task<?> task) {
        if (JfrSwitch.taskCreated) {
            TaskCreatedEvent event = new TaskCreatedEvent();
            event.task = EventLoopMonitor.idOf(task);
            event.name = task.getName();
            event.loop = JfrSwitch.loopName(task.getLoop());
            event.commit();
        }
    }

    @Override
    public void cancelRequested(Task<?> task, String message) {
        if (JfrSwitch.taskCancelled) {
            TaskCancelledEvent event = new TaskCancelledEvent();
            event.task = EventLoopMonitor.idOf(task);
            event.name = task.getName();
            event.message = message;
            event.cancelling = task.cancelling();
            event.loop = JfrSwitch.loopName(task.getLoop());
            event.commit();
        }
    }

    @Override
    public void done(Task<?> task, Throwable error) {
        if (JfrSwitch.taskDone) {
            TaskDoneEvent event = new TaskDoneEvent();
            event.task = EventLoopMonitor.idOf(task);
            event.name = task.getName();
            event.state = error == null ? "finished" : error instanceof CancelledError ? "cancelled" : "failed";
            event.exception = error == null || error instanceof CancelledError ? "" : error.getClass().getName();
            event.loop = JfrSwitch.loopName(task.getLoop());
            event.commit();
        }
    }
}

package asyncio.api;

/**
 * Makes the {@link Task}s of a loop. Mirrors the factory given to {@code loop.set_task_factory()}.
 * {@link Task#EAGER_TASK_FACTORY} is asyncio's {@code eager_task_factory}.
 */
public interface TaskFactory {
    /** Creates (and schedules) a task running {@code coro} on {@code loop}. */
    <T> Task<T> createTask(EventLoop loop, Coroutine<T> coro, String name);
}

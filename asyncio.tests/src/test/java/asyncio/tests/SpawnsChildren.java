package asyncio.tests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks loop-parameterised cases (a class or one method) that start child processes: on a loop
 * whose provider says it cannot spawn here ({@code EventLoopProvider.subprocessUnsupportedReason})
 * they are reported skipped with that reason ({@link UnsupportedLoops}) rather than failing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface SpawnsChildren {
}

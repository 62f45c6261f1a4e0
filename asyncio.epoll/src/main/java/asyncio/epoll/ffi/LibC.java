package asyncio.epoll.ffi;

import jnr.ffi.annotations.Out;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library calls the epoll loop makes, bound by jnr-ffi. Buffers and structures are passed
 * as raw addresses ({@code @intptr_t long}) of memory the caller owns (direct buffers), so a call
 * allocates nothing on the Java heap. Every call returns -1 and sets errno on failure; read it
 * with {@link Native#errno()} right after the call, on the same thread.
 *
 * <p>No call here takes six arguments, and none may be added: jnr-ffi 2.3.7's x86-64 stubs pass
 * the sixth argument wrongly, whatever the argument types (observed: sendto failing with EINVAL
 * for its address length, recvfrom writing the sender through a bad pointer and crashing the JVM;
 * both right with {@code -Djnr.ffi.x86asm.enabled=false}, which turns those stubs off for the
 * whole JVM; five-argument calls such as getsockopt are fine). Use the {@code msghdr} forms
 * instead, or pass a struct. The one exception, {@code posix_spawnp}, has no such form: it takes
 * its pid as an {@code int[]}, and a parameter that needs marshalling keeps jnr-ffi off those
 * stubs (checked with strace: all six arguments arrive).
 */
public interface LibC {
    // --- epoll and eventfd ---

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, @intptr_t long event);

    int epoll_wait(int epfd, @intptr_t long events, int maxEvents, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    // --- descriptors ---

    int close(int fd);

    @ssize_t long read(int fd, @intptr_t long buffer, @size_t long count);

    @ssize_t long write(int fd, @intptr_t long buffer, @size_t long count);

    @ssize_t long readv(int fd, @intptr_t long iovecs, int count);

    @ssize_t long writev(int fd, @intptr_t long iovecs, int count);

    int pipe2(@intptr_t long fds, int flags);

    int fcntl(int fd, int command, int argument);

    // --- sockets ---

    int socket(int domain, int type, int protocol);

    int bind(int fd, @intptr_t long address, int addressLength);

    int listen(int fd, int backlog);

    int accept4(int fd, @intptr_t long address, @intptr_t long addressLength, int flags);

    int connect(int fd, @intptr_t long address, int addressLength);

    int shutdown(int fd, int how);

    int getsockname(int fd, @intptr_t long address, @intptr_t long addressLength);

    int getpeername(int fd, @intptr_t long address, @intptr_t long addressLength);

    int getsockopt(int fd, int level, int name, @intptr_t long value, @intptr_t long valueLength);

    int setsockopt(int fd, int level, int name, @intptr_t long value, int valueLength);

    @ssize_t long send(int fd, @intptr_t long buffer, @size_t long count, int flags);

    @ssize_t long sendmsg(int fd, @intptr_t long message, int flags);

    // Datagrams go through sendmsg/recvmsg, not sendto/recvfrom: see the class comment on six arguments.
    @ssize_t long recvmsg(int fd, @intptr_t long message, int flags);

    @ssize_t long sendfile(int outFd, int inFd, @intptr_t long offset, @size_t long count);

    // --- child processes (posix_spawn, pidfd); the *_np calls are glibc 2.29+ (addchdir) and 2.34+ (addclosefrom) ---

    int posix_spawn_file_actions_init(@intptr_t long actions);

    int posix_spawn_file_actions_destroy(@intptr_t long actions);

    int posix_spawn_file_actions_adddup2(@intptr_t long actions, int fd, int newFd);

    int posix_spawn_file_actions_addclose(@intptr_t long actions, int fd);

    int posix_spawn_file_actions_addchdir_np(@intptr_t long actions, @intptr_t long path);

    int posix_spawn_file_actions_addclosefrom_np(@intptr_t long actions, int from);

    int posix_spawnattr_init(@intptr_t long attributes);

    int posix_spawnattr_destroy(@intptr_t long attributes);

    int posix_spawnattr_setflags(@intptr_t long attributes, short flags);

    int posix_spawnattr_setsigmask(@intptr_t long attributes, @intptr_t long signals);

    int posix_spawnattr_setsigdefault(@intptr_t long attributes, @intptr_t long signals);

    int sigemptyset(@intptr_t long signals);

    int sigaddset(@intptr_t long signals, int signal);

    /**
     * Returns 0 or an error number (not -1 and errno); the pid is written to {@code pid[0]}. The pid
     * is an array, not an address, on purpose: see the class comment on six arguments (with six
     * primitives, strace showed {@code envp} arriving as garbage).
     */
    int posix_spawnp(@Out int[] pid, @intptr_t long file, @intptr_t long actions, @intptr_t long attributes,
                     @intptr_t long argv, @intptr_t long envp);

    /** glibc 2.36+; older ones: {@code syscall(SYS_pidfd_open, pid, flags)}. */
    int pidfd_open(int pid, int flags);

    @intptr_t long syscall(@intptr_t long number, @intptr_t long first, @intptr_t long second);

    int waitid(int idType, int id, @intptr_t long info, int options);

    int kill(int pid, int signal);

    int open(@intptr_t long path, int flags, int mode);

    int getpid();

    /**
     * C's {@code environ}, the process's environment as C code sees and changes it (a global
     * variable, not a call): its value is the {@code char**} a child inherits.
     */
    // jnr-ffi's own type in an exported package: fine, asyncio.epoll.ffi is not API.
    @SuppressWarnings("exports")
    jnr.ffi.Variable<Long> environ();

    /** {@code getrlimit(resource, &limits)}: {@code limits} gets the soft then the hard limit. */
    int getrlimit(int resource, @Out long[] limits);

    // --- errors ---

    /** The text of an errno value (glibc returns a static string for known values). */
    String strerror(int errno);
}

/*
 * A Linux stand-in for kernel32/ws2_32 with the Win32 signatures the binding declares: every
 * function records its name and arguments (as the Windows types convert them) and returns a
 * marker, so NativeWin32MarshallingTest can check that jnr-ffi passes every argument of every
 * bound call, in order and at full width (including the calls with a trailing dummy array and
 * AcceptEx/ConnectEx through jffi's invoker). errno stands for GetLastError. Compiled by the test
 * with the host's gcc; it proves the Java side of the marshalling, not the Windows x64 ABI.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t DWORD;
typedef int BOOL;
typedef intptr_t HANDLE;
typedef uintptr_t SOCKET;
typedef intptr_t PTR;

static const char *last_name = "";
static long long last_args[10];
static int last_count;

const char *stub_name(void) { return last_name; }
long long stub_arg(int i) { return last_args[i]; }
int stub_count(void) { return last_count; }

#define RECORD(name, ...) do { \
        long long values[] = {__VA_ARGS__}; \
        last_name = name; \
        last_count = (int) (sizeof values / sizeof values[0]); \
        memcpy(last_args, values, sizeof values); \
        errno = 4242; \
    } while (0)
#define L(x) ((long long) (x))

HANDLE CreateIoCompletionPort(HANDLE file, HANDLE port, uintptr_t key, DWORD threads) {
    RECORD("CreateIoCompletionPort", L(file), L(port), L(key), L(threads)); return 77;
}
BOOL GetQueuedCompletionStatusEx(HANDLE port, PTR entries, uint32_t count, PTR removed, DWORD ms, BOOL alertable) {
    RECORD("GetQueuedCompletionStatusEx", L(port), L(entries), L(count), L(removed), L(ms), L(alertable)); return 77;
}
BOOL PostQueuedCompletionStatus(HANDLE port, DWORD bytes, uintptr_t key, PTR overlapped) {
    RECORD("PostQueuedCompletionStatus", L(port), L(bytes), L(key), L(overlapped)); return 77;
}
BOOL CancelIoEx(HANDLE handle, PTR overlapped) { RECORD("CancelIoEx", L(handle), L(overlapped)); return 77; }
BOOL CloseHandle(HANDLE handle) { RECORD("CloseHandle", L(handle)); return 77; }
BOOL SetFileCompletionNotificationModes(HANDLE handle, unsigned char flags) {
    RECORD("SetFileCompletionNotificationModes", L(handle), L(flags)); return 77;
}
BOOL ReadFile(HANDLE file, PTR buffer, DWORD length, PTR read, PTR overlapped) {
    RECORD("ReadFile", L(file), L(buffer), L(length), L(read), L(overlapped)); return 77;
}
BOOL WriteFile(HANDLE file, PTR buffer, DWORD length, PTR written, PTR overlapped) {
    RECORD("WriteFile", L(file), L(buffer), L(length), L(written), L(overlapped)); return 77;
}
BOOL GetOverlappedResult(HANDLE file, PTR overlapped, PTR transferred, BOOL wait) {
    RECORD("GetOverlappedResult", L(file), L(overlapped), L(transferred), L(wait)); return 77;
}
int WSAStartup(uint16_t version, PTR data) { RECORD("WSAStartup", L(version), L(data)); return 77; }
SOCKET WSASocketW(int af, int type, int protocol, PTR info, uint32_t group, DWORD flags) {
    RECORD("WSASocketW", L(af), L(type), L(protocol), L(info), L(group), L(flags)); return 77;
}
int closesocket(SOCKET s) { RECORD("closesocket", L(s)); return 77; }
int bind(SOCKET s, PTR name, int length) { RECORD("bind", L(s), L(name), L(length)); return 77; }
int listen(SOCKET s, int backlog) { RECORD("listen", L(s), L(backlog)); return 77; }
int connect(SOCKET s, PTR name, int length) { RECORD("connect", L(s), L(name), L(length)); return 77; }
int getsockname(SOCKET s, PTR name, PTR length) { RECORD("getsockname", L(s), L(name), L(length)); return 77; }
int getpeername(SOCKET s, PTR name, PTR length) { RECORD("getpeername", L(s), L(name), L(length)); return 77; }
int setsockopt(SOCKET s, int level, int name, PTR value, int length) {
    RECORD("setsockopt", L(s), L(level), L(name), L(value), L(length)); return 77;
}
int getsockopt(SOCKET s, int level, int name, PTR value, PTR length) {
    RECORD("getsockopt", L(s), L(level), L(name), L(value), L(length)); return 77;
}
int shutdown(SOCKET s, int how) { RECORD("shutdown", L(s), L(how)); return 77; }
int WSAIoctl(SOCKET s, DWORD code, PTR in, DWORD in_length, PTR out, DWORD out_length, PTR returned, PTR overlapped,
             PTR routine) {
    RECORD("WSAIoctl", L(s), L(code), L(in), L(in_length), L(out), L(out_length), L(returned), L(overlapped), L(routine));
    return 77;
}
int WSARecv(SOCKET s, PTR buffers, DWORD count, PTR received, PTR flags, PTR overlapped, PTR routine) {
    RECORD("WSARecv", L(s), L(buffers), L(count), L(received), L(flags), L(overlapped), L(routine)); return 77;
}
int WSASend(SOCKET s, PTR buffers, DWORD count, PTR sent, DWORD flags, PTR overlapped, PTR routine) {
    RECORD("WSASend", L(s), L(buffers), L(count), L(sent), L(flags), L(overlapped), L(routine)); return 77;
}
int WSARecvFrom(SOCKET s, PTR buffers, DWORD count, PTR received, PTR flags, PTR from, PTR from_length,
                PTR overlapped, PTR routine) {
    RECORD("WSARecvFrom", L(s), L(buffers), L(count), L(received), L(flags), L(from), L(from_length), L(overlapped),
           L(routine));
    return 77;
}
int WSASendTo(SOCKET s, PTR buffers, DWORD count, PTR sent, DWORD flags, PTR to, int to_length, PTR overlapped,
              PTR routine) {
    RECORD("WSASendTo", L(s), L(buffers), L(count), L(sent), L(flags), L(to), L(to_length), L(overlapped), L(routine));
    return 77;
}
BOOL WSAGetOverlappedResult(SOCKET s, PTR overlapped, PTR transferred, BOOL wait, PTR flags) {
    RECORD("WSAGetOverlappedResult", L(s), L(overlapped), L(transferred), L(wait), L(flags)); return 77;
}
BOOL AcceptEx_stub(SOCKET listener, SOCKET accepted, PTR output, DWORD receive, DWORD local, DWORD remote,
                   PTR received, PTR overlapped) {
    RECORD("AcceptEx", L(listener), L(accepted), L(output), L(receive), L(local), L(remote), L(received), L(overlapped));
    return 77;
}
BOOL ConnectEx_stub(SOCKET s, PTR name, int length, PTR send, DWORD send_length, PTR sent, PTR overlapped) {
    RECORD("ConnectEx", L(s), L(name), L(length), L(send), L(send_length), L(sent), L(overlapped)); return 77;
}

/* processes (Win32Processes; CloseHandle is above) */
HANDLE CreateNamedPipeW(PTR name, DWORD open_mode, DWORD pipe_mode, DWORD instances, DWORD out_size, DWORD in_size,
                        DWORD timeout, PTR security) {
    RECORD("CreateNamedPipeW", L(name), L(open_mode), L(pipe_mode), L(instances), L(out_size), L(in_size), L(timeout),
           L(security));
    return 77;
}
HANDLE CreateFileW(PTR name, DWORD access, DWORD share, PTR security, DWORD disposition, DWORD flags, HANDLE template) {
    RECORD("CreateFileW", L(name), L(access), L(share), L(security), L(disposition), L(flags), L(template)); return 77;
}
BOOL ConnectNamedPipe(HANDLE pipe, PTR overlapped) { RECORD("ConnectNamedPipe", L(pipe), L(overlapped)); return 77; }
BOOL CreateProcessW(PTR application, PTR command_line, PTR process_attributes, PTR thread_attributes, BOOL inherit,
                    DWORD flags, PTR environment, PTR directory, PTR startup, PTR information) {
    RECORD("CreateProcessW", L(application), L(command_line), L(process_attributes), L(thread_attributes), L(inherit),
           L(flags), L(environment), L(directory), L(startup), L(information));
    return 77;
}
BOOL InitializeProcThreadAttributeList(PTR list, DWORD count, DWORD flags, PTR size) {
    RECORD("InitializeProcThreadAttributeList", L(list), L(count), L(flags), L(size)); return 77;
}
BOOL UpdateProcThreadAttribute(PTR list, DWORD flags, uintptr_t attribute, PTR value, size_t size, PTR previous,
                               PTR returned) {
    RECORD("UpdateProcThreadAttribute", L(list), L(flags), L(attribute), L(value), L(size), L(previous), L(returned));
    return 77;
}
void DeleteProcThreadAttributeList(PTR list) { RECORD("DeleteProcThreadAttributeList", L(list)); }
HANDLE GetStdHandle(DWORD which) { RECORD("GetStdHandle", L(which)); return 77; }
HANDLE GetCurrentProcess(void) { last_name = "GetCurrentProcess"; last_count = 0; errno = 4242; return 77; }
BOOL DuplicateHandle(HANDLE source_process, HANDLE source, HANDLE target_process, PTR target, DWORD access,
                     BOOL inherit, DWORD options) {
    RECORD("DuplicateHandle", L(source_process), L(source), L(target_process), L(target), L(access), L(inherit),
           L(options));
    return 77;
}
BOOL TerminateProcess(HANDLE process, uint32_t code) { RECORD("TerminateProcess", L(process), L(code)); return 77; }
BOOL GetExitCodeProcess(HANDLE process, PTR code) { RECORD("GetExitCodeProcess", L(process), L(code)); return 77; }
BOOL GenerateConsoleCtrlEvent(DWORD event, DWORD group) {
    RECORD("GenerateConsoleCtrlEvent", L(event), L(group)); return 77;
}
HANDLE CreateEventW(PTR attributes, BOOL manual, BOOL initial, PTR name) {
    RECORD("CreateEventW", L(attributes), L(manual), L(initial), L(name)); return 77;
}
BOOL SetEvent(HANDLE event) { RECORD("SetEvent", L(event)); return 77; }
DWORD WaitForMultipleObjects(DWORD count, PTR handles, BOOL all, DWORD ms) {
    RECORD("WaitForMultipleObjects", L(count), L(handles), L(all), L(ms)); return 77;
}
/* end of processes */
/* readiness (addReader/addWriter, h-win-io): asyncio.windows.ffi.NativeWin32Readiness */
int WSAPoll(PTR fds, uint32_t count, int timeout) {
    RECORD("WSAPoll", L(fds), L(count), L(timeout)); return 77;
}
/* TransmitFile (sendfile, h-win-io): asyncio.windows.ffi.NativeWin32TransmitFile, through its pointer */
BOOL TransmitFile_stub(SOCKET s, HANDLE file, DWORD bytes, DWORD per_send, PTR overlapped, PTR buffers, DWORD flags) {
    RECORD("TransmitFile", L(s), L(file), L(bytes), L(per_send), L(overlapped), L(buffers), L(flags)); return 77;
}

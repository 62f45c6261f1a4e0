#!/usr/bin/env bash
# Builds the Win64 C programs of asyncio.windows with mingw-w64 and runs them under Wine:
#   layout.c         sizeof/offsetof/constants of the binding -> win64-layout.txt
#   echo_sequence.c  the IOCP call sequence of a TCP echo round trip, checked -> echo-sequence.txt
#   datagram_sequence.c  a UDP round trip and the wake-up, checked -> datagram-sequence.txt
#   pipe_sequence.c  ReadFile/WriteFile on an adopted pipe end and its EOF -> pipe-sequence.txt
#   process_sequence.c  (processes) a child over overlapped named pipes, its exit -> process-sequence.txt
#   cmdline_split.c  (processes) command lines split by CommandLineToArgvW -> cmdline-split.txt
#   readiness_sequence.c  WSAPoll answers and the helper's post (addReader/addWriter) -> readiness-sequence.txt
#   transmit_sequence.c  TransmitFile from an offset through the port (sendfile) -> transmit-sequence.txt
#   named_pipe_sequence.c  (named pipes) server instance, ConnectNamedPipe, client, busy, EOF -> named-pipe-sequence.txt
# (named_pipe_sequence.c and process_sequence.c include port_sequence.h, found beside them: each is still built alone)
# Without arguments it rewrites the checked-in files in src/test/resources/asyncio/windows (run it
# after changing a C program, and commit the result); with --check it writes them under
# target/wine and fails if they differ from the checked-in ones (.ci/run does this when it can
# install gcc-mingw-w64-x86-64 and wine). LayoutTest and CallSequenceTest compare the checked-in
# files with the Java side in every ./mvnw verify, without Wine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(cd "${here}/../../.." && pwd)"
resources="${module}/src/test/resources/asyncio/windows"
build="${module}/target/wine"
mode="${1:-write}"
mkdir -p "${build}"

for tool in x86_64-w64-mingw32-gcc wine; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
        echo "run-under-wine: ${tool} is not installed (apt-get install gcc-mingw-w64-x86-64 wine64 wine)" >&2
        exit 2
    fi
done

# A private, throw-away Wine prefix: no state shared with the user's ~/.wine.
export WINEPREFIX="${build}/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
for program in layout echo_sequence datagram_sequence pipe_sequence process_sequence cmdline_split readiness_sequence transmit_sequence \
        named_pipe_sequence; do
    x86_64-w64-mingw32-gcc -std=c11 -Wall -Werror -O1 -o "${build}/${program}.exe" "${here}/${program}.c" -lws2_32 -lmswsock -lshell32
done
timeout 300 wine "${build}/layout.exe" | tr -d '\r' > "${build}/win64-layout.txt"
timeout 300 wine "${build}/echo_sequence.exe" | tr -d '\r' > "${build}/echo-sequence.txt"
timeout 300 wine "${build}/datagram_sequence.exe" | tr -d '\r' > "${build}/datagram-sequence.txt"
timeout 300 wine "${build}/pipe_sequence.exe" | tr -d '\r' > "${build}/pipe-sequence.txt"
# processes
timeout 300 wine "${build}/process_sequence.exe" | tr -d '\r' > "${build}/process-sequence.txt"
timeout 300 wine "${build}/cmdline_split.exe" | tr -d '\r' > "${build}/cmdline-split.txt"

# readiness (addReader/addWriter) and TransmitFile (sendfile), h-win-io
timeout 300 wine "${build}/readiness_sequence.exe" | tr -d '\r' > "${build}/readiness-sequence.txt"
timeout 300 wine "${build}/transmit_sequence.exe" | tr -d '\r' > "${build}/transmit-sequence.txt"

# named pipes (create_pipe_connection, start_serving_pipe), h-win-pipes
timeout 300 wine "${build}/named_pipe_sequence.exe" | tr -d '\r' > "${build}/named-pipe-sequence.txt"

if [ "${mode}" = "--check" ]; then
    status=0
    for file in win64-layout.txt echo-sequence.txt datagram-sequence.txt pipe-sequence.txt process-sequence.txt cmdline-split.txt \
            readiness-sequence.txt transmit-sequence.txt \
            named-pipe-sequence.txt; do
        if diff -u "${resources}/${file}" "${build}/${file}"; then
            echo "run-under-wine: ${file} matches what Wine gives"
        else
            echo "run-under-wine: ${file} differs from what Wine gives (above)" >&2
            status=1
        fi
    done
    exit "${status}"
fi
cp "${build}"/*.txt "${resources}/"
echo "run-under-wine: wrote win64-layout.txt and the *-sequence.txt files in ${resources}"

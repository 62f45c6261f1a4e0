/*
 * Splits command lines as asyncio.windows' CommandLine (subprocess.list2cmdline's rules) writes
 * them, with Windows' own parser (CommandLineToArgvW), and prints each line with the arguments
 * Windows got back, as hex of their UTF-8: "split <line> =<arg> =<arg>...". CommandLineTest
 * checks that quoting those arguments gives the same line again, so the quoting agrees with a real
 * Win32 split, not only with the test's own reading of the rules. Checked-in output:
 * src/test/resources/asyncio/windows/cmdline-split.txt.
 */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <string.h>

static void hex(const wchar_t *text) {
    char utf8[512];
    int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, sizeof utf8, NULL, NULL);
    for (int i = 0; i < n - 1; i++) {
        printf("%02x", (unsigned char) utf8[i]);
    }
}

int main(void) {
    /* lines as CommandLine.of writes them (the program first: its own parsing rules differ) */
    static const wchar_t *lines[] = {
        L"python -c pass",
        L"\"a b\" c",
        L"\"a\tb\"",
        L"x \"\"",
        L"C:\\dir\\file \\",
        L"a\\\\\\b",
        L"say\\\"hi\\\"",
        L"a\\\\\\\"b",
        L"\"C:\\My Dir\\\\\"",
        L"\" \\\\\" d",
        L"C:\\dir\\",
        L"\"\\\"quoted\\\" and spaced\"",
        L"\"\" \"\" \"\"",
        L"\"tab\there\" \"trailing \\\\\\\\\"",
        L"\\\\server\\share\\x \"\\\\server\\share\\with space\"",
        L"caf\u00e9 \"\u4e2d \u6587\"",
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        wchar_t full[512];
        swprintf(full, 512, L"prog %ls", lines[i]);
        int count = 0;
        wchar_t **argv = CommandLineToArgvW(full, &count);
        if (argv == NULL || count < 2) {
            printf("check split %d FAILED\n", (int) i);
            failures++;
            continue;
        }
        printf("split ");
        hex(lines[i]);
        for (int a = 1; a < count; a++) {
            printf(" =");
            hex(argv[a]);
        }
        printf("\n");
        LocalFree(argv);
    }
    printf(failures == 0 ? "done\n" : "FAILED\n");
    return failures == 0 ? 0 : 1;
}

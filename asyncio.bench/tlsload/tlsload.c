/*
 * tlsload: closed-loop TLS load generator for 127.0.0.1 (OpenSSL, one blocking thread per
 * connection), the TLS twin of the shared kit's echoload.
 *
 *   tlsload -p PORT [-c CONNS] [-s SIZE] [-d SECONDS] [-w WARMUP] [-m echo|handshake]
 *           [-v 1.2|1.3] [-r]
 *
 * echo:      each thread opens one TLS connection, then sends SIZE bytes, reads until SIZE bytes
 *            came back, checks them byte for byte, and sends the next (a request = one round trip).
 * handshake: each thread, per request: connects, handshakes, echoes SIZE bytes (checked), sends
 *            close_notify and FIN, waits for the server's FIN, closes (a request = one connection).
 *            -r offers the session of the thread's previous connection (resumption: TLS 1.2
 *            session id or ticket, TLS 1.3 PSK ticket); the output counts how many were resumed.
 * -v pins the protocol version (default: 1.3). The server's certificate is not verified.
 *
 * Prints "WINDOW start" and "WINDOW end" lines (flushed) around the measured window, so a caller
 * can sample the server's CPU time exactly over it, then a RESULT line:
 *   RESULT requests=N rps=R resumed=K errors=E cpu=C   (cpu: this process, % of one core)
 * Exit codes: 0 ok; 1 setup; 2 wrong echoed bytes; 3 connection or TLS failure; 4 nothing done.
 *
 * Build: gcc -O2 -Wall -o tlsload tlsload.c -lssl -lcrypto -lpthread
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int port, conns = 10, size = 1024, handshake_mode, resume;
static double duration = 5, warmup = 1;
static SSL_CTX *ctx;
static volatile int stop;

struct worker {
    pthread_t thread;
    int id;
    uint64_t requests;  /* atomically read by main */
    uint64_t resumed;
    int failed;         /* exit code if the thread gave up */
    SSL_SESSION *session;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int dial(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {10, 0};  /* no read or write blocks for more than 10 s */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A shifted pseudo-random pattern per request, as echoload does. */
static void fill(unsigned char *buf, int n, uint64_t seed) {
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (int i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
}

/* One round trip: 0 ok, 2 wrong bytes, 3 failure. */
static int round_trip(SSL *ssl, unsigned char *out, unsigned char *in, uint64_t seed) {
    fill(out, size, seed);
    if (SSL_write(ssl, out, size) != size) return 3;
    int got = 0;
    while (got < size) {
        int n = SSL_read(ssl, in + got, size - got);
        if (n <= 0) return 3;
        got += n;
    }
    return memcmp(in, out, size) == 0 ? 0 : 2;
}

static SSL *open_tls(int fd, SSL_SESSION *session) {
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (session) SSL_set_session(ssl, session);
    if (SSL_connect(ssl) != 1) {
        ERR_print_errors_fp(stderr);
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

static void *echo_worker(void *arg) {
    struct worker *w = arg;
    unsigned char *out = malloc(size), *in = malloc(size);
    int fd = dial();
    SSL *ssl = fd < 0 ? NULL : open_tls(fd, NULL);
    if (!ssl) { w->failed = 3; goto done; }
    for (uint64_t i = 0; !stop; i++) {
        int rc = round_trip(ssl, out, in, ((uint64_t)w->id << 40) + i);
        if (rc) {
            if (!stop) { w->failed = rc; fprintf(stderr, "tlsload: connection %d request %llu: %s\n",
                    w->id, (unsigned long long)i, rc == 2 ? "wrong echoed bytes" : "connection or TLS failure"); }
            break;
        }
        __atomic_add_fetch(&w->requests, 1, __ATOMIC_RELAXED);
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
done:
    if (fd >= 0) close(fd);
    free(out); free(in);
    return NULL;
}

static void *handshake_worker(void *arg) {
    struct worker *w = arg;
    unsigned char *out = malloc(size), *in = malloc(size), drain[4096];
    for (uint64_t i = 0; !stop; i++) {
        int fd = dial();
        if (fd < 0) { w->failed = 3; perror("tlsload: connect"); break; }
        SSL *ssl = open_tls(fd, resume ? w->session : NULL);
        if (!ssl) { close(fd); w->failed = 3; break; }
        int rc = round_trip(ssl, out, in, ((uint64_t)w->id << 40) + i);
        if (rc) {
            w->failed = rc;
            fprintf(stderr, "tlsload: connection %d: %s\n", w->id, rc == 2 ? "wrong echoed bytes" : "TLS failure");
            SSL_free(ssl); close(fd);
            break;
        }
        int reused = SSL_session_reused(ssl);
        if (resume) {
            /* The newest session (TLS 1.3: the ticket read with the echo) for the next connection. */
            if (w->session) SSL_SESSION_free(w->session);
            w->session = SSL_get1_session(ssl);
        }
        SSL_shutdown(ssl);           /* close_notify */
        shutdown(fd, SHUT_WR);       /* and FIN: every server closes on one or the other */
        while (read(fd, drain, sizeof drain) > 0) { }
        SSL_free(ssl);
        close(fd);
        if (reused) __atomic_add_fetch(&w->resumed, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&w->requests, 1, __ATOMIC_RELAXED);
    }
    free(out); free(in);
    return NULL;
}

static void totals(struct worker *ws, uint64_t *requests, uint64_t *resumed) {
    *requests = *resumed = 0;
    for (int i = 0; i < conns; i++) {
        *requests += __atomic_load_n(&ws[i].requests, __ATOMIC_RELAXED);
        *resumed += __atomic_load_n(&ws[i].resumed, __ATOMIC_RELAXED);
    }
}

static void sleep_until(double deadline) {
    double left;
    while ((left = deadline - now()) > 0) usleep(left > 0.1 ? 100000 : (useconds_t)(left * 1e6));
}

int main(int argc, char **argv) {
    const char *version = "1.3";
    int opt;
    while ((opt = getopt(argc, argv, "p:c:s:d:w:m:v:r")) != -1) {
        switch (opt) {
        case 'p': port = atoi(optarg); break;
        case 'c': conns = atoi(optarg); break;
        case 's': size = atoi(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case 'm': handshake_mode = strcmp(optarg, "handshake") == 0; break;
        case 'v': version = optarg; break;
        case 'r': resume = 1; break;
        default:
            fprintf(stderr, "usage: tlsload -p PORT [-c CONNS] [-s SIZE] [-d S] [-w S] [-m echo|handshake] [-v 1.2|1.3] [-r]\n");
            return 1;
        }
    }
    if (port <= 0 || conns <= 0 || conns > 1000 || size <= 0 || duration <= 0 || duration > 600 || warmup < 0) {
        fprintf(stderr, "tlsload: bad arguments (need -p; 1 <= -c <= 1000; -d <= 600)\n");
        return 1;
    }
    ctx = SSL_CTX_new(TLS_client_method());
    int v = strcmp(version, "1.2") == 0 ? TLS1_2_VERSION : TLS1_3_VERSION;
    SSL_CTX_set_min_proto_version(ctx, v);
    SSL_CTX_set_max_proto_version(ctx, v);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    /* Sessions are kept by hand per thread (SSL_get1_session), not in the context's cache. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

    struct worker *ws = calloc(conns, sizeof *ws);
    for (int i = 0; i < conns; i++) {
        ws[i].id = i;
        pthread_create(&ws[i].thread, NULL, handshake_mode ? handshake_worker : echo_worker, &ws[i]);
    }
    double start = now();
    sleep_until(start + warmup);
    uint64_t r0, k0, r1, k1;
    totals(ws, &r0, &k0);
    double t0 = now(), c0 = cpu_seconds();
    printf("WINDOW start\n");
    fflush(stdout);
    sleep_until(t0 + duration);
    totals(ws, &r1, &k1);
    double t1 = now(), c1 = cpu_seconds();
    printf("WINDOW end\n");
    fflush(stdout);
    stop = 1;
    int failed = 0;
    for (int i = 0; i < conns; i++) {
        pthread_join(ws[i].thread, NULL);
        if (ws[i].failed && !failed) failed = ws[i].failed;
        if (ws[i].session) SSL_SESSION_free(ws[i].session);
    }
    uint64_t requests = r1 - r0;
    double rps = requests / (t1 - t0);
    printf("RESULT requests=%llu rps=%.1f resumed=%llu errors=%d cpu=%.1f mode=%s version=%s size=%d conns=%d\n",
           (unsigned long long)requests, rps, (unsigned long long)(k1 - k0), failed,
           100 * (c1 - c0) / (t1 - t0), handshake_mode ? "handshake" : "echo", version, size, conns);
    if (failed) return failed;
    return requests ? 0 : 4;
}

/* client.c: the fan-out load client (bench/fanout/run.sh). Opens N SSE
 * streams (HTTP/1.1 GET, raw non-blocking sockets, one epoll loop) to
 * 127.0.0.1:PORT, waits until every stream has its response headers, prints
 * "ready OK FAILED OPEN_MS", then reads the events and records, per delivery,
 * the latency from publish to receipt: every event carries its publish time
 * as a string "ts<CLOCK_MONOTONIC microseconds>" (the task's title, written
 * by publish.c), found by a byte scanner in the (de-chunked) body.
 *
 * Streams that get no answer while none other does for 30 s count as
 * failed. It ends when OK * EVENTS deliveries arrived, when no delivery came for
 * IDLE_S seconds after the first, or TIMEOUT_S seconds after "ready";
 * then prints one JSON line: streams, deliveries, percentiles (ms).
 *
 * Usage: client PORT N PATH EVENTS TIMEOUT_S [IDLE_S]
 * Bounded: 127.0.0.1 only, at most N connections, exits by itself. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { ST_CONNECTING, ST_HEADERS, ST_BODY, ST_CLOSED };
enum { CH_SIZE, CH_EXT, CH_DATA, CH_CRLF };

typedef struct conn {
    int fd;
    int state;
    int chunked;
    int chunk_state;
    size_t chunk_left;
    size_t hdr_len;
    char hdr[2048];
    int scan;       /* scanner state: 0 none, 1 '"', 2 '"t', 3 '"ts', 4 digits */
    uint64_t ts;
} conn;

static uint64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static uint32_t *lat;      /* latencies (µs), one per delivery */
static size_t nlat, caplat;
static uint64_t last_delivery;

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile of the sorted latencies, in ms (nearest rank). */
static double pct(double q) {
    if (!nlat) return -1;
    size_t i = (size_t)(q * (double)nlat);
    if (i >= nlat) i = nlat - 1;
    return lat[i] / 1000.0;
}

static void scan_body(conn *c, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        switch (c->scan) {
        case 0:
            if (ch != '"') {
                const char *q = memchr(p + i, '"', n - i);
                if (!q) return;
                i = (size_t)(q - p);
            }
            c->scan = 1;
            break;
        case 1: c->scan = ch == 't' ? 2 : ch == '"' ? 1 : 0; break;
        case 2: c->scan = ch == 's' ? 3 : ch == '"' ? 1 : 0; break;
        case 3:
        case 4:
            if (ch >= '0' && ch <= '9') {
                c->ts = (c->scan == 3 ? 0 : c->ts * 10) + (uint64_t)(ch - '0');
                c->scan = 4;
            } else if (ch == '"' && c->scan == 4) {
                uint64_t t = now_us();
                if (nlat < caplat) lat[nlat++] = t > c->ts ? (uint32_t)(t - c->ts) : 0;
                last_delivery = t;
                c->scan = 0;
            } else {
                c->scan = ch == '"' ? 1 : 0;
            }
            break;
        }
    }
}

/* Feeds body bytes through the chunked decoder when the response is chunked. */
static void body(conn *c, const char *p, size_t n) {
    if (!c->chunked) { scan_body(c, p, n); return; }
    size_t i = 0;
    while (i < n) {
        switch (c->chunk_state) {
        case CH_SIZE: {
            char ch = p[i++];
            if (ch >= '0' && ch <= '9') c->chunk_left = c->chunk_left * 16 + (size_t)(ch - '0');
            else if (ch >= 'a' && ch <= 'f') c->chunk_left = c->chunk_left * 16 + (size_t)(ch - 'a' + 10);
            else if (ch >= 'A' && ch <= 'F') c->chunk_left = c->chunk_left * 16 + (size_t)(ch - 'A' + 10);
            else if (ch == '\n') c->chunk_state = c->chunk_left ? CH_DATA : CH_CRLF;
            else if (ch != '\r') c->chunk_state = CH_EXT;
            break;
        }
        case CH_EXT:
            if (p[i++] == '\n') c->chunk_state = c->chunk_left ? CH_DATA : CH_CRLF;
            break;
        case CH_DATA: {
            size_t k = n - i < c->chunk_left ? n - i : c->chunk_left;
            scan_body(c, p + i, k);
            i += k;
            c->chunk_left -= k;
            if (!c->chunk_left) c->chunk_state = CH_CRLF;
            break;
        }
        case CH_CRLF:
            if (p[i++] == '\n') { c->chunk_state = CH_SIZE; c->chunk_left = 0; }
            break;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s PORT N PATH EVENTS TIMEOUT_S [IDLE_S]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    size_t n = (size_t)atol(argv[2]);
    const char *path = argv[3];
    size_t events = (size_t)atol(argv[4]);
    double timeout_s = atof(argv[5]);
    double idle_s = argc > 6 ? atof(argv[6]) : 5;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }

    char req[1024];
    int reqlen = snprintf(req, sizeof req,
                          "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", path);
    conn *cs = calloc(n, sizeof *cs);
    caplat = n * events;
    lat = malloc((caplat ? caplat : 1) * sizeof *lat);
    if (!cs || !lat) { perror("malloc"); return 1; }
    int ep = epoll_create1(0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    static char buf[1 << 16];
    struct epoll_event evs[512];
    size_t opened = 0, ready = 0, failed = 0, inflight = 0, closed_later = 0;
    const size_t max_inflight = 256;
    uint64_t t0 = now_us(), t_ready = 0, t_progress = t0;
    int phase_open = 1;

    for (;;) {
        /* Opening: keep max_inflight connections between connect and headers. */
        while (phase_open && opened < n && inflight < max_inflight) {
            conn *c = &cs[opened];
            c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (c->fd < 0) { perror("socket"); c->state = ST_CLOSED; failed++; opened++; continue; }
            int one = 1;
            setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            int r = connect(c->fd, (struct sockaddr *)&sa, sizeof sa);
            if (r < 0 && errno != EINPROGRESS) {
                perror("connect");
                close(c->fd);
                c->state = ST_CLOSED;
                failed++;
                opened++;
                continue;
            }
            c->state = ST_CONNECTING;
            struct epoll_event e = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.ptr = c };
            epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
            opened++;
            inflight++;
        }
        if (phase_open && opened == n && inflight == 0) {
            phase_open = 0;
            t_ready = now_us();
            printf("ready %zu %zu %.0f\n", ready, failed, (double)(t_ready - t0) / 1000.0);
            fflush(stdout);
            caplat = ready * events;
            if (!ready) break;
        }
        uint64_t t = now_us();
        if (!phase_open) {
            if (nlat >= caplat) break;
            if (t - t_ready > (uint64_t)(timeout_s * 1e6)) break;
            if (last_delivery && t - last_delivery > (uint64_t)(idle_s * 1e6)) break;
        } else if (t - t_progress > 30u * 1000000u) {
            /* 30 s without a stream answering: count the ones still
             * waiting as failed and measure with those that opened. */
            fprintf(stderr, "client: %zu streams got no answer in 30 s, %zu not opened; counted as failed\n",
                    inflight, n - opened);
            for (size_t i = opened; i < n; i++) {
                cs[i].state = ST_CLOSED; /* never opened */
                failed++;
            }
            for (size_t i = 0; i < opened; i++)
                if (cs[i].state == ST_CONNECTING || cs[i].state == ST_HEADERS) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, cs[i].fd, NULL);
                    close(cs[i].fd);
                    cs[i].state = ST_CLOSED;
                    failed++;
                }
            inflight = 0;
            opened = n;
            continue;
        }
        int k = epoll_wait(ep, evs, 512, 100);
        for (int i = 0; i < k; i++) {
            conn *c = evs[i].data.ptr;
            if (c->state == ST_CONNECTING) {
                if (evs[i].events & (EPOLLERR | EPOLLHUP)) goto fail;
                if (!(evs[i].events & EPOLLOUT)) continue;
                if (write(c->fd, req, (size_t)reqlen) != reqlen) goto fail;
                c->state = ST_HEADERS;
                struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                continue;
            }
            if (c->state == ST_CLOSED) continue;
            for (;;) {
                ssize_t r = read(c->fd, buf, sizeof buf);
                if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                if (r <= 0) goto fail;
                const char *p = buf;
                size_t len = (size_t)r;
                if (c->state == ST_HEADERS) {
                    size_t room = sizeof c->hdr - 1 - c->hdr_len;
                    size_t take = len < room ? len : room;
                    memcpy(c->hdr + c->hdr_len, p, take);
                    size_t old = c->hdr_len;
                    c->hdr_len += take;
                    c->hdr[c->hdr_len] = 0;
                    char *end = strstr(c->hdr, "\r\n\r\n");
                    if (!end) {
                        if (c->hdr_len == sizeof c->hdr - 1) goto fail;
                        continue;
                    }
                    if (strncmp(c->hdr, "HTTP/1.1 200", 12) && strncmp(c->hdr, "HTTP/1.0 200", 12)) {
                        if (failed < 3) fprintf(stderr, "client: %.*s\n", (int)(strchr(c->hdr, '\r') - c->hdr), c->hdr);
                        goto fail;
                    }
                    c->chunked = strcasestr(c->hdr, "transfer-encoding: chunked") != NULL;
                    size_t used = (size_t)(end + 4 - c->hdr) - old;
                    p += used;
                    len -= used;
                    c->state = ST_BODY;
                    t_progress = now_us();
                    ready++;
                    inflight--;
                }
                if (len) body(c, p, len);
            }
            continue;
        fail:
            if (c->state == ST_CONNECTING || c->state == ST_HEADERS) { failed++; inflight--; t_progress = now_us(); }
            else closed_later++;
            epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = ST_CLOSED;
        }
    }

    uint64_t t_end = now_us();
    size_t expected = ready * events;
    qsort(lat, nlat, sizeof *lat, cmp_u32);
    printf("{\"streams\":%zu,\"failed\":%zu,\"closed\":%zu,\"expected\":%zu,\"delivered\":%zu,"
           "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"open_ms\":%.0f,\"run_ms\":%.0f}\n",
           ready, failed, closed_later, expected, nlat, pct(0.50), pct(0.99), pct(1.0),
           t_ready ? (double)(t_ready - t0) / 1000.0 : -1.0,
           t_ready ? (double)(t_end - t_ready) / 1000.0 : -1.0);
    for (size_t i = 0; i < opened; i++)
        if (cs[i].state != ST_CLOSED) close(cs[i].fd);
    close(ep);
    free(cs);
    free(lat);
    return 0;
}

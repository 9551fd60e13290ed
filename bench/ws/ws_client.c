/* ws_client.c: the fan-out bench's load client in C (one epoll thread), so
 * that the latency measured is the server's, not a Node client's: N
 * graphql-transport-ws sockets to 127.0.0.1:PORT PATH, each acked and
 * subscribed with SUBSCRIBE (a JSON subscribe message); then, like
 * clients.mjs, reads stdin lines: "mark" (start a window), "report EVENTS"
 * (wait until EVENTS messages per socket or 30 s, print the spread: per
 * delivery, its receive time minus its event's first receive time, p50/p99/
 * max in ms), "quit". Events are told apart by the text after the last
 * `":"` before the payload's closing quote (the event's text field).
 * Build: cc -O2 -o ws_client ws_client.c */
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct conn {
    int fd;
    unsigned char buf[65536];
    size_t len;
} conn;

typedef struct rec {
    uint32_t key; /* hash of the event's text */
    double t;
} rec;

static rec *recs;
static size_t nrecs, caprecs;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void send_frame(int fd, int opcode, const char *data, size_t len)
{
    unsigned char h[14 + 65536];
    size_t n = 0;
    h[n++] = (unsigned char)(0x80 | opcode);
    if (len < 126) {
        h[n++] = (unsigned char)(0x80 | len);
    } else {
        h[n++] = 0x80 | 126;
        h[n++] = (unsigned char)(len >> 8);
        h[n++] = (unsigned char)len;
    }
    unsigned char mask[4] = {1, 2, 3, 4};
    memcpy(h + n, mask, 4);
    n += 4;
    for (size_t i = 0; i < len && n < sizeof h; i++)
        h[n++] = (unsigned char)data[i] ^ mask[i % 4];
    for (size_t off = 0; off < n;) {
        ssize_t r = write(fd, h + off, n - off);
        if (r < 0 && errno == EAGAIN)
            continue;
        if (r <= 0)
            return;
        off += (size_t)r;
    }
}

/* Reads one whole frame (blocking socket) into c->buf; returns opcode or -1. */
static int read_frame_blocking(conn *c, unsigned char **payload, size_t *plen)
{
    for (;;) {
        if (c->len >= 2) {
            size_t hl = 2, pl = c->buf[1] & 0x7f;
            if (pl == 126) {
                hl = 4;
                if (c->len >= 4)
                    pl = ((size_t)c->buf[2] << 8) | c->buf[3];
            }
            if (c->len >= hl && c->len >= hl + pl) {
                int op = c->buf[0] & 0x0f;
                *payload = c->buf + hl;
                *plen = pl;
                memmove(c->buf, c->buf + hl + pl, c->len - hl - pl);
                c->len -= hl + pl;
                return op;
            }
        }
        ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
        if (r <= 0)
            return -1;
        c->len += (size_t)r;
    }
}

static uint32_t key_of(const unsigned char *p, size_t n)
{
    /* the last string value: between the last `"` pair before the end */
    size_t e = n;
    while (e > 0 && p[e - 1] != '"')
        e--;
    if (e == 0)
        return 0;
    e--;
    size_t b = e;
    while (b > 0 && p[b - 1] != '"')
        b--;
    uint32_t h = 2166136261u;
    for (size_t i = b; i < e; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: ws_client PORT N PATH SUBSCRIBE_JSON\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[2]);
    const char *path = argv[3], *sub = argv[4];
    conn *cs = calloc((size_t)n, sizeof *cs);
    int ready = 0, failed = 0;
    char req[512];
    snprintf(req, sizeof req,
             "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n",
             path);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    for (int i = 0; i < n; i++) {
        conn *c = &cs[i];
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
            write(c->fd, req, strlen(req)) < 0) {
            failed++;
            continue;
        }
        /* the 101 head */
        char *end = NULL;
        while (!end) {
            ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1);
            if (r <= 0)
                break;
            c->len += (size_t)r;
            c->buf[c->len] = 0;
            end = strstr((char *)c->buf, "\r\n\r\n");
        }
        if (!end || strncmp((char *)c->buf, "HTTP/1.1 101", 12) != 0) {
            failed++;
            continue;
        }
        size_t hl = (size_t)(end + 4 - (char *)c->buf);
        memmove(c->buf, c->buf + hl, c->len - hl);
        c->len -= hl;
        send_frame(c->fd, 1, "{\"type\":\"connection_init\"}", 26);
        unsigned char *p;
        size_t pl;
        if (read_frame_blocking(c, &p, &pl) != 1) {
            failed++;
            continue;
        }
        send_frame(c->fd, 1, sub, strlen(sub));
        fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
        ready++;
    }
    usleep(500000);
    printf("{\"ready\":%d,\"failed\":%d}\n", ready, failed);
    fflush(stdout);

    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
        if (cs[i].fd >= 0)
            epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL};
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
    char line[256];
    size_t ll = 0;
    long want = -1;
    double deadline = 0;
    struct epoll_event evs[256];
    for (;;) {
        int k = epoll_wait(ep, evs, 256, 50);
        double t = now_ms();
        for (int e = 0; e < k; e++) {
            conn *c = evs[e].data.ptr;
            if (!c) {
                ssize_t r = read(0, line + ll, sizeof line - 1 - ll);
                if (r <= 0)
                    return 0;
                ll += (size_t)r;
                line[ll] = 0;
                char *nl;
                while ((nl = strchr(line, '\n'))) {
                    *nl = 0;
                    if (!strcmp(line, "mark")) {
                        nrecs = 0;
                        printf("{\"marked\":true}\n");
                        fflush(stdout);
                    } else if (!strncmp(line, "report ", 7)) {
                        want = atol(line + 7) * ready;
                        deadline = t + 30000;
                    } else if (!strcmp(line, "quit")) {
                        return 0;
                    }
                    size_t rest = ll - (size_t)(nl + 1 - line);
                    memmove(line, nl + 1, rest);
                    ll = rest;
                    line[ll] = 0;
                }
                continue;
            }
            ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
            if (r <= 0)
                continue;
            c->len += (size_t)r;
            size_t off = 0;
            while (c->len - off >= 2) {
                unsigned char *f = c->buf + off;
                size_t hl = 2, pl = f[1] & 0x7f;
                if (pl == 126) {
                    if (c->len - off < 4)
                        break;
                    hl = 4;
                    pl = ((size_t)f[2] << 8) | f[3];
                }
                if (c->len - off < hl + pl)
                    break;
                int op = f[0] & 0x0f;
                if (op == 1) {
                    if (nrecs == caprecs) {
                        caprecs = caprecs ? caprecs * 2 : 1 << 16;
                        recs = realloc(recs, caprecs * sizeof *recs);
                    }
                    recs[nrecs++] = (rec){key_of(f + hl, pl), t};
                } else if (op == 9) {
                    send_frame(c->fd, 10, (const char *)f + hl, pl);
                }
                off += hl + pl;
            }
            memmove(c->buf, c->buf + off, c->len - off);
            c->len -= off;
        }
        if (want >= 0 && ((long)nrecs >= want || t > deadline)) {
            /* first receive per event key */
            double *lat = malloc((nrecs + 1) * sizeof *lat);
            uint32_t keys[4096];
            double first[4096];
            size_t nk = 0;
            for (size_t i = 0; i < nrecs; i++) {
                size_t j;
                for (j = 0; j < nk && keys[j] != recs[i].key; j++)
                    ;
                if (j == nk && nk < 4096) {
                    keys[nk] = recs[i].key;
                    first[nk++] = recs[i].t;
                } else if (j < nk && recs[i].t < first[j]) {
                    first[j] = recs[i].t;
                }
            }
            for (size_t i = 0; i < nrecs; i++) {
                size_t j;
                for (j = 0; j < nk && keys[j] != recs[i].key; j++)
                    ;
                lat[i] = j < nk ? recs[i].t - first[j] : 0;
            }
            qsort(lat, nrecs, sizeof *lat, cmp_double);
#define Q(p) (nrecs ? lat[(size_t)((p) * (double)nrecs) < nrecs ? (size_t)((p) * (double)nrecs) : nrecs - 1] : 0)
            printf("{\"deliveries\":%zu,\"expected\":%ld,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
                   nrecs, want, Q(0.5), Q(0.99), nrecs ? lat[nrecs - 1] : 0.0);
            fflush(stdout);
            free(lat);
            want = -1;
        }
    }
}

/* publish.c: the fan-out benchmark's publisher (bench/fanout/run.sh).
 * Publishes EVENTS task-created events at RATE per second (absolute
 * schedule, CLOCK_MONOTONIC), each carrying its publish time as the task's
 * title "ts<CLOCK_MONOTONIC microseconds>", taken just before the send:
 *
 *   publish zmq ADDRESS EVENTS RATE    gqlsse-broker's frontend, through
 *                                      libgqlsse's gqlsse_publisher_* API:
 *                                      model Task, event create, data
 *                                      {"id":"I","title":"tsT"}
 *   publish http PORT/PATH EVENTS RATE POST of {"id":"I","title":"tsT"} to
 *                                      127.0.0.1 (the graphql-sse reference
 *                                      server's publish endpoint)
 *   publish nchan PORT/PATH EVENTS RATE POST of the SSE payload gqlsse would
 *                                      send, {"data":{"taskCreated":{...}}},
 *                                      to nchan's publisher location
 *
 * Each HTTP publish is one short connection (opened before the time is
 * taken; its answer is read after the last event, so that a server slow to
 * answer does not slow the schedule). Prints how many were sent. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <gqlsse/publish.h>

static uint64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* Sends one POST to 127.0.0.1:port path and returns the connection's fd
 * (-1 on failure) without waiting for the answer: a server slow to answer
 * must not slow the schedule down. read_status() reads the answer later. */
static int post(int port, const char *path, int wrap, size_t i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { close(fd); return -1; }
    char data[128], req[512];
    uint64_t ts = now_us();
    if (wrap)
        snprintf(data, sizeof data, "{\"data\":{\"taskCreated\":{\"id\":\"%zu\",\"title\":\"ts%llu\"}}}", i,
                 (unsigned long long)ts);
    else
        snprintf(data, sizeof data, "{\"id\":\"%zu\",\"title\":\"ts%llu\"}", i, (unsigned long long)ts);
    int n = snprintf(req, sizeof req,
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     path, strlen(data), data);
    if (write(fd, req, (size_t)n) != n) { close(fd); return -1; }
    return fd;
}

/* Reads a POST's answer to EOF (at most 60 s) and closes fd; 0 when 2xx. */
static int read_status(int fd) {
    struct timeval tv = { .tv_sec = 60 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char resp[4096];
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, resp + got, sizeof resp - 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
        if (got == sizeof resp - 1) got = 16; /* keep the status line, drop the rest */
    }
    close(fd);
    resp[got] = 0;
    return strncmp(resp, "HTTP/1.1 2", 10) == 0 || strncmp(resp, "HTTP/1.0 2", 10) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s zmq|http|nchan ADDRESS|PORT/PATH EVENTS RATE\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *target = argv[2];
    long events = atol(argv[3]);
    double rate = atof(argv[4]);
    if (events <= 0 || rate <= 0) { fprintf(stderr, "publish: EVENTS and RATE must be positive\n"); return 2; }
    int zmq = strcmp(mode, "zmq") == 0, wrap = strcmp(mode, "nchan") == 0;
    if (!zmq && !wrap && strcmp(mode, "http")) { fprintf(stderr, "publish: unknown mode %s\n", mode); return 2; }

    gqlsse_publisher *p = NULL;
    int port = 0;
    const char *path = "/";
    if (zmq) {
        p = gqlsse_publisher_new(target);
        if (!p || gqlsse_publisher_wait_ready(p, 5000) != 1) {
            fprintf(stderr, "publish: broker at %s not ready\n", target);
            gqlsse_publisher_free(p);
            return 1;
        }
    } else {
        port = atoi(target);
        const char *slash = strchr(target, '/');
        if (slash) path = slash;
    }

    int *fds = calloc((size_t)events, sizeof *fds);
    if (!fds) { perror("calloc"); gqlsse_publisher_free(p); return 1; }
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long step_ns = (long)(1e9 / rate), sent = 0, failed = 0;
    for (long i = 1; i <= events; i++) {
        int ok;
        if (zmq) {
            char data[128];
            snprintf(data, sizeof data, "{\"id\":\"%ld\",\"title\":\"ts%llu\"}", i, (unsigned long long)now_us());
            gqlsse_publish_status s = gqlsse_publisher_publish_model(p, "Task", "create", data);
            ok = s == GQLSSE_PUBLISH_OK;
            if (!ok && failed < 3) fprintf(stderr, "publish: %s\n", gqlsse_publisher_error(p));
        } else {
            fds[i - 1] = post(port, path, wrap, (size_t)i);
            ok = fds[i - 1] >= 0;
            if (!ok && failed < 3) fprintf(stderr, "publish: POST %s failed\n", target);
        }
        if (ok) sent++;
        else failed++;
        next.tv_nsec += step_ns;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
    }
    gqlsse_publisher_free(p);
    /* The HTTP answers, read once every event is out. */
    long refused = 0;
    for (long i = 0; !zmq && i < events; i++)
        if (fds[i] >= 0 && read_status(fds[i]) < 0) refused++;
    free(fds);
    if (refused) fprintf(stderr, "publish: %ld POSTs were not answered 2xx\n", refused);
    failed += refused;
    sent -= refused;
    printf("published %ld, failed %ld\n", sent, failed);
    return failed ? 1 : 0;
}

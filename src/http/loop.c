/* loop.c: epoll + timer heap. Timers are one-shot; owners re-arm them. */
#include "config.h"

#include "http/loop.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct gqlsse_loop {
    int epfd;
    gqlsse_timer **heap;
    size_t n, cap;
};

uint64_t gqlsse_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

gqlsse_loop *gqlsse_loop_new(void)
{
    gqlsse_loop *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        free(l);
        return NULL;
    }
    return l;
}

void gqlsse_loop_free(gqlsse_loop *l)
{
    if (!l)
        return;
    close(l->epfd);
    free(l->heap);
    free(l);
}

int gqlsse_io_add(gqlsse_loop *l, gqlsse_io *io, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = io};
    return epoll_ctl(l->epfd, EPOLL_CTL_ADD, io->fd, &ev);
}

int gqlsse_io_mod(gqlsse_loop *l, gqlsse_io *io, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = io};
    return epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev);
}

void gqlsse_io_del(gqlsse_loop *l, gqlsse_io *io)
{
    struct epoll_event ev = {0};
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, &ev);
}

static void heap_set(gqlsse_loop *l, size_t i, gqlsse_timer *t)
{
    l->heap[i] = t;
    t->slot = i + 1;
}

static void sift_up(gqlsse_loop *l, size_t i)
{
    gqlsse_timer *t = l->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (l->heap[p]->due <= t->due)
            break;
        heap_set(l, i, l->heap[p]);
        i = p;
    }
    heap_set(l, i, t);
}

static void sift_down(gqlsse_loop *l, size_t i)
{
    gqlsse_timer *t = l->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= l->n)
            break;
        if (c + 1 < l->n && l->heap[c + 1]->due < l->heap[c]->due)
            c++;
        if (l->heap[c]->due >= t->due)
            break;
        heap_set(l, i, l->heap[c]);
        i = c;
    }
    heap_set(l, i, t);
}

void gqlsse_timer_stop(gqlsse_loop *l, gqlsse_timer *t)
{
    if (!t->slot)
        return;
    size_t i = t->slot - 1;
    t->slot = 0;
    l->n--;
    if (i == l->n)
        return;
    gqlsse_timer *moved = l->heap[l->n];
    heap_set(l, i, moved);
    sift_down(l, i);
    sift_up(l, moved->slot - 1);
}

int gqlsse_timer_start(gqlsse_loop *l, gqlsse_timer *t, uint64_t delay_ms)
{
    gqlsse_timer_stop(l, t);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        gqlsse_timer **g = realloc(l->heap, cap * sizeof *g);
        if (!g)
            return -1;
        l->heap = g;
        l->cap = cap;
    }
    t->due = gqlsse_now_ms() + delay_ms;
    heap_set(l, l->n, t);
    l->n++;
    sift_up(l, l->n - 1);
    return 0;
}

int gqlsse_loop_run_once(gqlsse_loop *l, int max_wait_ms)
{
    int wait = max_wait_ms;
    if (l->n) {
        uint64_t now = gqlsse_now_ms(), due = l->heap[0]->due;
        int until = due <= now ? 0 : (int)(due - now);
        if (wait < 0 || until < wait)
            wait = until;
    }
    struct epoll_event evs[128];
    int k = epoll_wait(l->epfd, evs, 128, wait);
    if (k < 0) {
        if (errno == EINTR)
            return 0;
        return -1;
    }
    int ran = 0;
    for (int i = 0; i < k; i++) {
        gqlsse_io *io = evs[i].data.ptr;
        io->cb(io->arg, evs[i].events);
        ran++;
    }
    uint64_t now = gqlsse_now_ms();
    /* Only timers due now; callbacks re-arming for 0 ms run next round. */
    size_t budget = l->n;
    while (l->n && l->heap[0]->due <= now && budget--) {
        gqlsse_timer *t = l->heap[0];
        gqlsse_timer_stop(l, t);
        t->cb(t->arg);
        ran++;
    }
    return ran;
}

int gqlsse_accept_conn(int lfd, struct sockaddr_storage *sa, unsigned *salen)
{
    for (;;) {
        socklen_t len = salen ? (socklen_t)*salen : 0;
        int fd = accept4(lfd, (struct sockaddr *)sa, sa ? &len : NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return -1;
        }
        if (salen)
            *salen = (unsigned)len;
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* fails on unix sockets */
        return fd;
    }
}

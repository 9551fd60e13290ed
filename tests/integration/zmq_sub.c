/* zmq_sub.c: a tiny ZeroMQ client for tests/integration/broker.sh: a SUB that
 * prints what it receives, and a raw sender for malformed messages. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static void usage(void)
{
    fputs("usage: zmq_sub sub ADDR COUNT TIMEOUT_MS PREFIX...\n"
          "       zmq_sub raw ADDR FRAME...   (FRAME '#size:N' is N bytes of 'x')\n"
          "sub prints one line per message: FRAMES<TAB>TOPIC<TAB>JSON<TAB>STAMP\n"
          "and exits 0 after COUNT messages, 3 on timeout.\n",
          stderr);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run_sub(void *ctx, int argc, char **argv)
{
    if (argc < 6) {
        usage();
        return 2;
    }
    void *s = zmq_socket(ctx, ZMQ_SUB);
    long count = atol(argv[3]);
    long long deadline = now_ms() + atol(argv[4]);
    /* Reconnect fast so that broker restarts are quick to test. */
    int ivl = 100;
    zmq_setsockopt(s, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
    for (int i = 5; i < argc; i++)
        zmq_setsockopt(s, ZMQ_SUBSCRIBE, argv[i], strlen(argv[i]));
    if (zmq_connect(s, argv[2]) != 0) {
        fprintf(stderr, "zmq_sub: connect %s: %s\n", argv[2], zmq_strerror(zmq_errno()));
        return 2;
    }
    long got = 0;
    while (got < count) {
        long long left = deadline - now_ms();
        if (left <= 0)
            break;
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, (long)left) <= 0)
            continue;
        char line[8192];
        size_t o = 0;
        int frames = 0, more = 1;
        char fields[3][4096] = {"", "", ""};
        while (more) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, s, 0) < 0)
                break;
            if (frames < 3) {
                size_t n = zmq_msg_size(&m) < 4095 ? zmq_msg_size(&m) : 4095;
                memcpy(fields[frames], zmq_msg_data(&m), n);
                fields[frames][n] = '\0';
            }
            frames++;
            more = zmq_msg_more(&m);
            zmq_msg_close(&m);
        }
        o = (size_t)snprintf(line, sizeof line, "%d\t%s\t%s\t%s\n", frames, fields[0],
                             fields[1], fields[2]);
        fwrite(line, 1, o < sizeof line ? o : sizeof line - 1, stdout);
        fflush(stdout);
        got++;
    }
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(s);
    return got >= count ? 0 : 3;
}

static int run_raw(void *ctx, int argc, char **argv)
{
    if (argc < 4) {
        usage();
        return 2;
    }
    /* An XPUB so that we can wait for the broker's subscription. */
    void *s = zmq_socket(ctx, ZMQ_XPUB);
    int linger = 2000;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(s, argv[2]) != 0) {
        fprintf(stderr, "zmq_sub: connect %s: %s\n", argv[2], zmq_strerror(zmq_errno()));
        return 2;
    }
    zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&it, 1, 5000) <= 0) {
        fputs("zmq_sub: the broker did not subscribe within 5 s\n", stderr);
        return 1;
    }
    char sub[256];
    zmq_recv(s, sub, sizeof sub, 0);
    for (int i = 3; i < argc; i++) {
        int flags = i + 1 < argc ? ZMQ_SNDMORE : 0;
        if (strncmp(argv[i], "#size:", 6) == 0) {
            size_t n = (size_t)atol(argv[i] + 6);
            char *big = malloc(n ? n : 1);
            memset(big, 'x', n);
            zmq_send(s, big, n, flags);
            free(big);
        } else {
            zmq_send(s, argv[i], strlen(argv[i]), flags);
        }
    }
    zmq_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    void *ctx = zmq_ctx_new();
    int rc;
    if (!strcmp(argv[1], "sub"))
        rc = run_sub(ctx, argc, argv);
    else if (!strcmp(argv[1], "raw"))
        rc = run_raw(ctx, argc, argv);
    else {
        usage();
        rc = 2;
    }
    zmq_ctx_term(ctx);
    return rc;
}

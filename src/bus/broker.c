/* broker.c: gqlsse-broker's loop on zmq_poll: validates each published
 * message, stamps it (run id, sequence numbers) and forwards it to workers. */
#include "config.h"

#include "bus/broker.h"
#include "bus/codec.h"
#include "util/strmap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/* ---- configuration ------------------------------------------------------ */

int gqlsse_broker_config_init(gqlsse_broker_config *c)
{
    memset(c, 0, sizeof *c);
    c->frontend = strdup(GQLSSE_BUS_DEFAULT_FRONTEND);
    c->backend = strdup(GQLSSE_BUS_DEFAULT_BACKEND);
    c->sndhwm = 100000;
    c->rcvhwm = 100000;
    c->max_message = GQLSSE_BUS_DEFAULT_MAX_MESSAGE;
    c->max_topics = 100000;
    c->stats_interval = 60;
    c->log_level = BROKER_LOG_INFO;
    return c->frontend && c->backend ? 0 : -1;
}

void gqlsse_broker_config_clear(gqlsse_broker_config *c)
{
    free(c->frontend);
    free(c->backend);
    c->frontend = c->backend = NULL;
}

static int parse_size(const char *v, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!*v || *v == '-')
        return -1;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v)
        return -1;
    if (*end == 'K' || *end == 'k')
        n *= 1024, end++;
    else if (*end == 'M' || *end == 'm')
        n *= 1024 * 1024, end++;
    if (*end || n > max)
        return -1;
    *out = n;
    return 0;
}

static int valid_address(const char *a)
{
    return strncmp(a, "tcp://", 6) == 0 || strncmp(a, "ipc://", 6) == 0;
}

int gqlsse_broker_config_set(gqlsse_broker_config *c, const char *key, const char *value,
                             char *err, size_t errlen)
{
    unsigned long long n;
    if (!strcmp(key, "frontend") || !strcmp(key, "backend")) {
        if (!valid_address(value)) {
            snprintf(err, errlen, "%s: '%s' is not a tcp:// or ipc:// address", key, value);
            return -1;
        }
        char *dup = strdup(value);
        if (!dup) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        char **slot = key[0] == 'f' ? &c->frontend : &c->backend;
        free(*slot);
        *slot = dup;
        return 0;
    }
    if (!strcmp(key, "log_level")) {
        static const char *const names[] = {"error", "warn", "info", "debug"};
        for (int i = 0; i < 4; i++)
            if (!strcmp(value, names[i])) {
                c->log_level = i;
                return 0;
            }
        snprintf(err, errlen, "log_level: '%s' is not error, warn, info or debug", value);
        return -1;
    }
    if (!strcmp(key, "stats_interval")) {
        if (parse_size(value, 86400, &n) < 0) {
            snprintf(err, errlen, "stats_interval: '%s' is not 0..86400 seconds", value);
            return -1;
        }
        c->stats_interval = (int)n;
        return 0;
    }
    if (!strcmp(key, "sndhwm") || !strcmp(key, "rcvhwm")) {
        if (parse_size(value, 100000000, &n) < 0 || n == 0) {
            snprintf(err, errlen, "%s: '%s' is not a positive number of messages", key, value);
            return -1;
        }
        *(key[0] == 's' ? &c->sndhwm : &c->rcvhwm) = (int)n;
        return 0;
    }
    if (!strcmp(key, "max_message_size")) {
        if (parse_size(value, 256ull * 1024 * 1024, &n) < 0 || n < 64) {
            snprintf(err, errlen, "max_message_size: '%s' is not a size of 64 bytes to 256M",
                     value);
            return -1;
        }
        c->max_message = (size_t)n;
        return 0;
    }
    if (!strcmp(key, "max_topics")) {
        if (parse_size(value, 100000000, &n) < 0 || n == 0) {
            snprintf(err, errlen, "max_topics: '%s' is not a positive number", value);
            return -1;
        }
        c->max_topics = (size_t)n;
        return 0;
    }
    snprintf(err, errlen, "unknown key '%s'", key);
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int gqlsse_broker_config_load(gqlsse_broker_config *c, const char *path, char *err,
                              size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t vn = strlen(value);
        if (vn >= 2 && (value[0] == '"' || value[0] == '\'') && value[vn - 1] == value[0]) {
            value[vn - 1] = '\0';
            value++;
        }
        char msg[256];
        if (gqlsse_broker_config_set(c, key, value, msg, sizeof msg) < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

/* ---- logging ------------------------------------------------------------- */

static void blog(const gqlsse_broker_config *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void blog(const gqlsse_broker_config *c, int level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    if (level > c->log_level)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "gqlsse-broker[%ld] %s: ", (long)getpid(), names[level]);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len++] = '\n';
    /* One write per line: lines of concurrent writers never interleave. */
    ssize_t w = write(2, line, len);
    (void)w;
}

/* Copies untrusted bytes for a log line: printable ASCII, others as \xHH,
 * at most ~cap/4 input bytes. */
static const char *printable(const void *data, size_t n, char *out, size_t cap)
{
    const unsigned char *s = data;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
            out[o++] = (char)s[i];
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", s[i]);
    }
    if (o + 5 >= cap && cap > 4)
        memcpy(out + cap - 4, "...", 4), o = cap - 1;
    out[o] = '\0';
    return out;
}

/* ---- per-topic sequence numbers -------------------------------------------- */

/* Topic -> its last sequence number (util/strmap.h; entries malloc'd with
 * the key inside). When max_topics topics are known the table is emptied
 * (logged): topic sequence numbers then restart at 1, which workers treat
 * as a new baseline (docs/broker-protocol.md). */
typedef struct topic_seq {
    uint64_t seq;
    char key[];
} topic_seq;

typedef struct topic_table {
    gql_strmap map;
    size_t max;
} topic_table;

static void free_value(void *value, void *ud)
{
    (void)ud;
    free(value);
}

static void table_clear(topic_table *t)
{
    gql_strmap_each(&t->map, free_value, NULL);
    gql_strmap_clear(&t->map);
}

/* The next sequence number of `topic`; 0 when out of memory. *reset is set
 * when the table had to be emptied first. */
static uint64_t table_next(topic_table *t, const void *topic, size_t n, int *reset)
{
    *reset = 0;
    topic_seq *e = gql_strmap_get(&t->map, topic, n);
    if (e)
        return ++e->seq;
    if (t->map.count >= t->max) {
        table_clear(t);
        *reset = 1;
    }
    e = malloc(sizeof *e + (n ? n : 1));
    if (!e)
        return 0;
    memcpy(e->key, topic, n);
    e->seq = 1;
    if (gql_strmap_put(&t->map, e->key, n, e) < 0) {
        free(e);
        return 0;
    }
    return 1;
}

/* ---- the loop ------------------------------------------------------------ */

typedef struct broker_stats {
    uint64_t received, forwarded, dropped, by_reason[GQLSSE_BUS_VERDICT_COUNT];
    uint64_t subscribes, unsubscribes, topic_resets, drops_unlogged;
    long subscribers, publishers;
} broker_stats;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_stats(const gqlsse_broker_config *c, const broker_stats *s, const char *when)
{
    blog(c, BROKER_LOG_INFO,
         "%s: received %" PRIu64 ", forwarded %" PRIu64 ", dropped %" PRIu64
         " (frames %" PRIu64 ", size %" PRIu64 ", topic %" PRIu64 ", json %" PRIu64
         ", fields %" PRIu64 ", mismatch %" PRIu64 "), subscribers %ld, publishers %ld",
         when, s->received, s->forwarded, s->dropped, s->by_reason[GQLSSE_BUS_E_FRAMES],
         s->by_reason[GQLSSE_BUS_E_SIZE], s->by_reason[GQLSSE_BUS_E_TOPIC],
         s->by_reason[GQLSSE_BUS_E_JSON], s->by_reason[GQLSSE_BUS_E_FIELDS],
         s->by_reason[GQLSSE_BUS_E_MISMATCH], s->subscribers, s->publishers);
}

/* Drops-per-interval logged one by one; beyond, only counted (the stats
 * line carries them), so a flood of bad messages cannot flood the log. */
#define DROP_LOG_BURST 20

static void drop(const gqlsse_broker_config *c, broker_stats *s, gqlsse_bus_verdict v,
                 const void *topic, size_t tlen, const char *why)
{
    char buf[160];
    s->dropped++;
    s->by_reason[v]++;
    if (s->drops_unlogged < DROP_LOG_BURST)
        blog(c, BROKER_LOG_WARN, "dropped a malformed message (%s) on topic '%s': %s",
             gqlsse_bus_verdict_name(v), topic ? printable(topic, tlen, buf, sizeof buf) : "",
             why);
    else if (s->drops_unlogged == DROP_LOG_BURST)
        blog(c, BROKER_LOG_WARN, "more malformed messages: counted, not logged until the next "
                                 "stats line");
    s->drops_unlogged++;
}

/* Receives one whole message from the frontend and forwards it (or not). */
static void on_publish(const gqlsse_broker_config *c, void *xsub, void *xpub, topic_table *t,
                       broker_stats *s, const char *run, uint64_t *seq)
{
    zmq_msg_t frames[2];
    int nframes = 0, more = 1;
    zmq_msg_init(&frames[0]);
    zmq_msg_init(&frames[1]);
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, xsub, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            if (nframes == 0) {
                zmq_msg_close(&frames[0]);
                zmq_msg_close(&frames[1]);
                return; /* spurious wake-up */
            }
            break;
        }
        more = zmq_msg_more(&m);
        if (nframes < 2)
            zmq_msg_move(&frames[nframes], &m);
        nframes++;
        zmq_msg_close(&m);
    }
    s->received++;
    char why[200];
    gqlsse_bus_verdict v;
    gqlsse_bus_msg msg;
    if (nframes != 2) {
        snprintf(why, sizeof why, "%d frames, expected 2 (topic, JSON)", nframes);
        drop(c, s, GQLSSE_BUS_E_FRAMES, zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]), why);
        goto out;
    }
    v = gqlsse_bus_decode(zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]),
                          zmq_msg_data(&frames[1]), zmq_msg_size(&frames[1]), c->max_message,
                          &msg, why, sizeof why);
    if (v != GQLSSE_BUS_OK) {
        drop(c, s, v, zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]), why);
        goto out;
    }
    gqlsse_bus_msg_clear(&msg);
    int reset;
    gqlsse_bus_stamp st;
    memcpy(st.run, run, sizeof st.run);
    st.topic_seq = table_next(t, zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]), &reset);
    if (reset) {
        s->topic_resets++;
        blog(c, BROKER_LOG_WARN,
             "%zu topics known: per-topic sequence numbers restart at 1 (max_topics)", t->max);
    }
    if (st.topic_seq == 0) {
        drop(c, s, GQLSSE_BUS_E_SIZE, NULL, 0, "out of memory");
        goto out;
    }
    st.seq = ++*seq;
    char stamp[GQLSSE_BUS_STAMP_MAX];
    size_t sl = gqlsse_bus_stamp_format(&st, stamp, sizeof stamp);
    /* XPUB never blocks: a worker whose queue is at its HWM misses this one
     * (its sequence numbers show the gap). */
    if (zmq_msg_send(&frames[0], xpub, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_msg_send(&frames[1], xpub, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(xpub, stamp, sl, ZMQ_DONTWAIT) < 0) {
        blog(c, BROKER_LOG_ERROR, "forwarding failed: %s", zmq_strerror(errno));
        goto out;
    }
    s->forwarded++;
    if (c->log_level >= BROKER_LOG_DEBUG) {
        char buf[160];
        blog(c, BROKER_LOG_DEBUG, "forwarded seq %" PRIu64 " topic '%s' #%" PRIu64, st.seq,
             printable(zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]), buf, sizeof buf),
             st.topic_seq);
    }
out:
    zmq_msg_close(&frames[0]);
    zmq_msg_close(&frames[1]);
}

/* A (un)subscription from a worker: logged and forwarded upstream. */
static void on_subscription(const gqlsse_broker_config *c, void *xpub, void *xsub,
                            broker_stats *s)
{
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, xpub, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return;
        }
        const unsigned char *d = zmq_msg_data(&m);
        size_t n = zmq_msg_size(&m);
        if (n >= 1 && (d[0] == 0 || d[0] == 1)) {
            char buf[160];
            if (d[0])
                s->subscribes++;
            else
                s->unsubscribes++;
            blog(c, BROKER_LOG_INFO, "%s '%s'", d[0] ? "first subscription to" :
                                                       "no more subscriptions to",
                 printable(d + 1, n - 1, buf, sizeof buf));
            if (zmq_msg_send(&m, xsub, ZMQ_DONTWAIT) < 0)
                zmq_msg_close(&m);
        } else {
            zmq_msg_close(&m);
        }
    }
}

/* A socket monitor event: connections of workers (backend) or publishers. */
static void on_monitor(const gqlsse_broker_config *c, void *mon, int is_backend,
                       broker_stats *s)
{
    zmq_msg_t m1, m2;
    zmq_msg_init(&m1);
    zmq_msg_init(&m2);
    if (zmq_msg_recv(&m1, mon, ZMQ_DONTWAIT) < 0 || !zmq_msg_more(&m1) ||
        zmq_msg_recv(&m2, mon, ZMQ_DONTWAIT) < 0 || zmq_msg_size(&m1) < 6) {
        zmq_msg_close(&m1);
        zmq_msg_close(&m2);
        return;
    }
    uint16_t event;
    uint32_t value;
    memcpy(&event, zmq_msg_data(&m1), 2);
    memcpy(&value, (const char *)zmq_msg_data(&m1) + 2, 4);
    long *count = is_backend ? &s->subscribers : &s->publishers;
    const char *who = is_backend ? "subscriber" : "publisher";
    int level = is_backend ? BROKER_LOG_INFO : BROKER_LOG_DEBUG;
    if (event == ZMQ_EVENT_ACCEPTED) {
        ++*count;
        blog(c, level, "%s connected (fd %u), %ld connected", who, value, *count);
    } else if (event == ZMQ_EVENT_DISCONNECTED) {
        if (*count > 0)
            --*count;
        blog(c, level, "%s disconnected (fd %u), %ld connected", who, value, *count);
    }
    zmq_msg_close(&m1);
    zmq_msg_close(&m2);
}

static void *bind_socket(const gqlsse_broker_config *c, void *ctx, int type, const char *addr,
                         const char *role)
{
    void *s = zmq_socket(ctx, type);
    if (!s) {
        blog(c, BROKER_LOG_ERROR, "zmq_socket: %s", zmq_strerror(errno));
        return NULL;
    }
    int linger = 500, hwm;
    int max = (int)(c->max_message + 64 * 1024);
    int64_t maxsize = max;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (type == ZMQ_XPUB) {
        hwm = c->sndhwm;
        zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    } else {
        hwm = c->rcvhwm;
        zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
        /* A frame far beyond the limit disconnects its publisher (which
         * reconnects); below this guard it is received, dropped and counted. */
        zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxsize, sizeof maxsize);
    }
    /* Half-open TCP peers are noticed within a minute. */
    int ivl = 10000, ttl = 30000, to = 30000;
    zmq_setsockopt(s, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_TTL, &ttl, sizeof ttl);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_TIMEOUT, &to, sizeof to);
    if (zmq_bind(s, addr) != 0) {
        blog(c, BROKER_LOG_ERROR, "cannot bind the %s to %s: %s", role, addr,
             zmq_strerror(errno));
        zmq_close(s);
        return NULL;
    }
    char last[512];
    size_t ln = sizeof last;
    if (zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &ln) != 0)
        snprintf(last, sizeof last, "%s", addr);
    blog(c, BROKER_LOG_INFO, "%s bound to %s (%s %d)", role, last,
         type == ZMQ_XPUB ? "sndhwm" : "rcvhwm", hwm);
    return s;
}

/* Reads and discards the monitor events queued on `m` (may be NULL). */
static void drain_monitor(void *m)
{
    zmq_msg_t msg;
    if (!m)
        return;
    zmq_msg_init(&msg);
    while (zmq_msg_recv(&msg, m, ZMQ_DONTWAIT) >= 0)
        ;
    zmq_msg_close(&msg);
}

static void *open_monitor(void *ctx, void *sock, const char *name)
{
    if (zmq_socket_monitor(sock, name, ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED) != 0)
        return NULL;
    void *m = zmq_socket(ctx, ZMQ_PAIR);
    if (m && zmq_connect(m, name) != 0) {
        zmq_close(m);
        return NULL;
    }
    return m;
}

int gqlsse_broker_run(const gqlsse_broker_config *c, volatile sig_atomic_t *stop)
{
    char run[GQLSSE_BUS_RUN_ID_LEN + 1];
    if (gqlsse_bus_random_id(run) < 0) {
        blog(c, BROKER_LOG_ERROR, "cannot generate a run id: no randomness available");
        return 1;
    }
    int rc = 1;
    void *ctx = zmq_ctx_new(), *xsub = NULL, *xpub = NULL, *mon_sub = NULL, *mon_pub = NULL;
    topic_table table = {GQL_STRMAP_INIT, c->max_topics};
    broker_stats s;
    memset(&s, 0, sizeof s);
    uint64_t seq = 0;
    if (!ctx) {
        blog(c, BROKER_LOG_ERROR, "zmq_ctx_new: %s", zmq_strerror(errno));
        return 1;
    }
    xsub = bind_socket(c, ctx, ZMQ_XSUB, c->frontend, "frontend (publishers)");
    if (!xsub)
        goto out;
    xpub = bind_socket(c, ctx, ZMQ_XPUB, c->backend, "backend (workers)");
    if (!xpub)
        goto out;
    /* inproc names are per context: unique within this process. */
    mon_sub = open_monitor(ctx, xsub, "inproc://gqlsse-broker-monitor-frontend");
    mon_pub = open_monitor(ctx, xpub, "inproc://gqlsse-broker-monitor-backend");
    if (!mon_sub || !mon_pub)
        blog(c, BROKER_LOG_WARN, "socket monitor unavailable: connections are not logged");
    /* Receive everything, whoever subscribes: every message is validated,
     * counted and stamped (and a bounded history can keep them all). */
    if (zmq_send(xsub, "\x01", 1, 0) < 0) {
        blog(c, BROKER_LOG_ERROR, "cannot subscribe the frontend: %s", zmq_strerror(errno));
        goto out;
    }
    blog(c, BROKER_LOG_INFO, "run %s started (max message %zu bytes, max topics %zu)", run,
         c->max_message, c->max_topics);

    long long next_stats = c->stats_interval ? now_ms() + c->stats_interval * 1000ll : 0;
    broker_stats last = s;
    while (!*stop) {
        zmq_pollitem_t items[4] = {
            {xsub, 0, ZMQ_POLLIN, 0},
            {xpub, 0, ZMQ_POLLIN, 0},
            {mon_pub, 0, ZMQ_POLLIN, 0},
            {mon_sub, 0, ZMQ_POLLIN, 0},
        };
        int nitems = mon_pub && mon_sub ? 4 : 2;
        long timeout = 1000;
        if (next_stats) {
            long long left = next_stats - now_ms();
            timeout = left < 0 ? 0 : left < 1000 ? (long)left : 1000;
        }
        int n = zmq_poll(items, nitems, timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            blog(c, BROKER_LOG_ERROR, "zmq_poll: %s", zmq_strerror(errno));
            break;
        }
        /* A bounded batch per wake-up keeps subscriptions and monitor events
         * flowing under a flood of publications. */
        if (items[0].revents & ZMQ_POLLIN)
            for (int i = 0; i < 256 && !*stop; i++) {
                uint64_t before = s.received;
                on_publish(c, xsub, xpub, &table, &s, run, &seq);
                if (s.received == before)
                    break;
            }
        if (items[1].revents & ZMQ_POLLIN)
            on_subscription(c, xpub, xsub, &s);
        if (nitems == 4 && (items[2].revents & ZMQ_POLLIN))
            on_monitor(c, mon_pub, 1, &s);
        if (nitems == 4 && (items[3].revents & ZMQ_POLLIN))
            on_monitor(c, mon_sub, 0, &s);
        if (next_stats && now_ms() >= next_stats) {
            if (last.received != s.received || last.subscribes != s.subscribes ||
                last.unsubscribes != s.unsubscribes || last.subscribers != s.subscribers ||
                last.publishers != s.publishers)
                log_stats(c, &s, "stats");
            s.drops_unlogged = 0;
            last = s;
            next_stats = now_ms() + c->stats_interval * 1000ll;
        }
    }
    log_stats(c, &s, "stopping");
    rc = 0;
out:
    /* Stop the monitors while their readers are still open, after reading
     * what is queued: libzmq's I/O thread sends each event with a blocking
     * send under the monitor's lock, so with the reading PAIR closed first
     * it blocks forever and zmq_socket_monitor(NULL) deadlocks on that lock
     * (seen as a broker hanging on SIGTERM). */
    drain_monitor(mon_sub);
    drain_monitor(mon_pub);
    if (xsub)
        zmq_socket_monitor(xsub, NULL, 0);
    if (xpub)
        zmq_socket_monitor(xpub, NULL, 0);
    if (mon_sub)
        zmq_close(mon_sub);
    if (mon_pub)
        zmq_close(mon_pub);
    if (xsub)
        zmq_close(xsub);
    if (xpub)
        zmq_close(xpub);
    zmq_ctx_term(ctx);
    table_clear(&table);
    if (rc == 0)
        blog(c, BROKER_LOG_INFO, "run %s stopped", run);
    return rc;
}

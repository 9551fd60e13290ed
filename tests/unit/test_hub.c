/* test_hub.c: the subscription hub's fan-out with sinks that cancel
 * operations in the middle of a dispatch (a connection carrying several
 * operations dies while another member of the same group is being served),
 * driven by real broker-format messages from a ZeroMQ PUB socket on an
 * ipc:// path. Run under ASan/valgrind by CI: a use-after-free here is the
 * failure this test exists for. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <zmq.h>

#include <gqlsse/parser.h>

#include "bus/codec.h"
#include "http/hub.h"

typedef struct tsink {
    int nexts, ends, last_complete;
    gqlsse_op *op;
    struct tsink *cancel[3]; /* operations to cancel when a result arrives */
    int fail_after;          /* return -1 from the result number fail_after (0: never) */
} tsink;

static int tsink_next(void *sink, const char *json, size_t len, unsigned flags)
{
    tsink *t = sink;
    (void)flags;
    assert_true(len > 0 && json[0] == '{');
    t->nexts++;
    for (int i = 0; i < 3; i++)
        if (t->cancel[i] && t->cancel[i]->op) {
            gqlsse_op_cancel(t->cancel[i]->op);
            t->cancel[i]->op = NULL;
        }
    if (t->fail_after && t->nexts == t->fail_after) {
        t->op = NULL;
        return -1;
    }
    return 0;
}

static void tsink_end(void *sink, int complete)
{
    tsink *t = sink;
    t->ends++;
    t->last_complete = complete;
    t->op = NULL;
}

static const gqlsse_sink_vt tsink_vt = {.next = tsink_next, .end = tsink_end};

static gqlsse_op *start(gqlsse_hub *h, tsink *t, const char *query)
{
    gql_document *doc = gql_parse(query, strlen(query), NULL, NULL);
    assert_non_null(doc);
    gqlsse_op_start st = {.doc = doc,
                          .operation = doc->root->definitions.items[0],
                          .query = query,
                          .identity = "alice",
                          .sink_vt = &tsink_vt,
                          .sink = t};
    t->op = gqlsse_hub_start(h, &st);
    return t->op;
}

static void publish(void *pub, const char *run, unsigned seq)
{
    char json[256], stamp[GQLSSE_BUS_STAMP_MAX];
    snprintf(json, sizeof json,
             "{\"model\":\"Task\",\"event\":\"create\",\"id\":\"e%u\",\"data\":{\"id\":\"%u\","
             "\"title\":\"t\"}}",
             seq, seq);
    gqlsse_bus_stamp s = {.seq = seq, .topic_seq = seq};
    memcpy(s.run, run, sizeof s.run);
    size_t n = gqlsse_bus_stamp_format(&s, stamp, sizeof stamp);
    assert_true(zmq_send(pub, "model/Task/", 11, ZMQ_SNDMORE) == 11);
    assert_true(zmq_send(pub, json, strlen(json), ZMQ_SNDMORE) == (int)strlen(json));
    assert_true(zmq_send(pub, stamp, n, 0) == (int)n);
}

/* Publishes one event and runs the loop until `t` got one more result;
 * publishes again while the subscription is still on its way to the PUB
 * socket (messages published before it arrives are dropped, not queued). */
static void pump_one(gqlsse_loop *loop, void *pub, const char *run, unsigned *seq, const tsink *t)
{
    int before = t->nexts;
    for (int attempt = 0; attempt < 50 && t->nexts == before; attempt++) {
        publish(pub, run, ++*seq);
        for (int i = 0; i < 50 && t->nexts == before; i++)
            gqlsse_loop_run_once(loop, 10);
    }
    assert_int_equal(t->nexts, before + 1);
}

static void test_cancel_during_fanout(void **state)
{
    (void)state;
    char dir[] = "/tmp/gqlsse-hub-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sdl_path[128], addr[160];
    snprintf(sdl_path, sizeof sdl_path, "%s/s.graphql", dir);
    snprintf(addr, sizeof addr, "ipc://%s/backend", dir);
    FILE *f = fopen(sdl_path, "w");
    assert_non_null(f);
    fputs("type Task { id: ID! title: String }\ntype Query { x: Int }\n"
          "type Subscription { taskCreated: Task! @model(name: \"Task\", event: CREATE) }\n",
          f);
    fclose(f);

    void *ctx = zmq_ctx_new();
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    assert_int_equal(zmq_bind(pub, addr), 0);

    gqlsse_conf conf;
    gqlsse_conf_defaults(&conf);
    char *files[1] = {sdl_path};
    conf.schema_files = files;
    conf.nschema_files = 1;
    char *dflt_broker = conf.broker;
    conf.broker = addr;
    gqlsse_logger log = {.level = GQLSSE_LOG_ERROR, .prog = "test_hub"};
    gqlsse_loop *loop = gqlsse_loop_new();
    assert_non_null(loop);
    char err[512] = "";
    gqlsse_hub *h = gqlsse_hub_new(&conf, &log, loop, err, sizeof err);
    if (!h)
        fail_msg("hub: %s", err);

    /* Four members of one group (same document); dispatch visits the most
     * recent first: d, c, b, a. Another group on the same topic, started
     * last, is visited before them. */
    static const char q[] = "subscription { taskCreated { id title } }";
    tsink a = {0}, b = {0}, c = {.fail_after = 2}, d = {0};
    assert_non_null(start(h, &a, q));
    assert_non_null(start(h, &b, q));
    assert_non_null(start(h, &c, q));
    assert_non_null(start(h, &d, q));
    tsink e = {.cancel = {&d}};
    assert_non_null(start(h, &e, "subscription S { taskCreated { id } }"));
    assert_int_equal(gqlsse_hub_nops(h), 5);

    char run[GQLSSE_BUS_RUN_ID_LEN + 1];
    memset(run, 'a', GQLSSE_BUS_RUN_ID_LEN);
    run[GQLSSE_BUS_RUN_ID_LEN] = 0;
    unsigned seq = 0;
    /* Event 1: e's result cancels d, a member of the group served next. */
    pump_one(loop, pub, run, &seq, &e);
    assert_int_equal(d.nexts, 0);
    assert_null(d.op);
    assert_int_equal(c.nexts, 1);
    assert_int_equal(b.nexts, 1);
    assert_int_equal(a.nexts, 1);
    /* Event 2: c, visited first in its group, refuses its result from
     * inside its sink: the members after it are still served. */
    pump_one(loop, pub, run, &seq, &e);
    assert_int_equal(c.nexts, 2);
    assert_null(c.op);
    assert_int_equal(b.nexts, 2);
    assert_int_equal(a.nexts, 2);
    /* Event 3: e cancels every member left in the other group (b, a)
     * while the topic's groups are being walked: that group must outlive
     * the walk. */
    e.cancel[1] = &b;
    e.cancel[2] = &a;
    pump_one(loop, pub, run, &seq, &e);
    assert_int_equal(b.nexts, 2);
    assert_int_equal(a.nexts, 2);
    assert_null(b.op);
    assert_null(a.op);
    /* Event 4: only e is left. */
    pump_one(loop, pub, run, &seq, &e);
    assert_int_equal(e.nexts, 4);
    assert_int_equal(gqlsse_hub_nops(h), 1);
    /* no end() for operations the transport cancelled or refused */
    assert_int_equal(a.ends + b.ends + c.ends + d.ends + e.ends, 0);

    gqlsse_op_cancel(e.op);
    assert_int_equal(gqlsse_hub_nops(h), 0);
    for (int i = 0; i < 5; i++)
        gqlsse_loop_run_once(loop, 5); /* the reaper and the unsubscription */
    gqlsse_hub_free(h);
    gqlsse_loop_free(loop);
    conf.schema_files = NULL;
    conf.nschema_files = 0;
    conf.broker = dflt_broker;
    gqlsse_conf_free(&conf);
    zmq_close(pub);
    zmq_ctx_term(ctx);
    unlink(sdl_path);
    char sock[200];
    snprintf(sock, sizeof sock, "%s/backend", dir);
    unlink(sock);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_during_fanout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_bus.c: the broker message codec (names, ids, encoding, validation,
 * stamps) and the publish API's refusals (nothing sent on invalid input). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gqlsse/execute.h>
#include <gqlsse/publish.h>

#include "bus/codec.h"
#include "bus/control.h"

#define MAXM GQLSSE_BUS_DEFAULT_MAX_MESSAGE

static void test_names(void **state)
{
    (void)state;
    assert_true(gqlsse_bus_model_name_ok("Task", 4));
    assert_true(gqlsse_bus_model_name_ok("_T9", 3));
    assert_false(gqlsse_bus_model_name_ok("", 0));
    assert_false(gqlsse_bus_model_name_ok("9Task", 5));
    assert_false(gqlsse_bus_model_name_ok("Task/x", 6));
    assert_false(gqlsse_bus_model_name_ok("Ta sk", 5));
    assert_true(gqlsse_bus_topic_name_ok("chat.room-1:x_y", 15));
    assert_false(gqlsse_bus_topic_name_ok("a/b", 3));
    assert_false(gqlsse_bus_topic_name_ok("a b", 3));
    char longname[GQLSSE_BUS_MAX_NAME + 2];
    memset(longname, 'a', sizeof longname);
    assert_true(gqlsse_bus_topic_name_ok(longname, GQLSSE_BUS_MAX_NAME));
    assert_false(gqlsse_bus_topic_name_ok(longname, GQLSSE_BUS_MAX_NAME + 1));
    assert_true(gqlsse_bus_id_ok("db-change:42", 12));
    assert_false(gqlsse_bus_id_ok("a b", 3));
    assert_false(gqlsse_bus_id_ok("", 0));
    assert_int_equal(gqlsse_bus_event_parse("create"), GQLSSE_BUS_CREATE);
    assert_int_equal(gqlsse_bus_event_parse("delete"), GQLSSE_BUS_DELETE);
    assert_int_equal(gqlsse_bus_event_parse("save"), GQLSSE_BUS_EVENT_NONE);
    assert_int_equal(gqlsse_bus_event_parse("CREATE"), GQLSSE_BUS_EVENT_NONE);
    assert_int_equal(gqlsse_bus_event_parse(NULL), GQLSSE_BUS_EVENT_NONE);
    assert_string_equal(gqlsse_bus_event_name(GQLSSE_BUS_UPDATE), "update");
}

static void test_random_id(void **state)
{
    (void)state;
    char a[33], b[33];
    assert_int_equal(gqlsse_bus_random_id(a), 0);
    assert_int_equal(gqlsse_bus_random_id(b), 0);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_string_not_equal(a, b);
}

static void test_encode_model(void **state)
{
    (void)state;
    gql_buf t = GQL_BUF_INIT, p = GQL_BUF_INIT;
    char err[256];
    const char *data = " {\"id\":\"1\",\"title\":\"Write docs\",\"n\":1.50} \n";
    assert_int_equal(gqlsse_bus_encode_model(&t, &p, "Task", "create", "ev1", data,
                                             strlen(data), MAXM, err, sizeof err),
                     0);
    assert_string_equal(t.data, "model/Task/");
    /* data is kept verbatim (numbers unchanged), whitespace trimmed */
    assert_string_equal(p.data, "{\"model\":\"Task\",\"event\":\"create\",\"id\":\"ev1\","
                                "\"data\":{\"id\":\"1\",\"title\":\"Write docs\",\"n\":1.50}}");
    /* the encoder's output decodes */
    gqlsse_bus_msg m;
    assert_int_equal(gqlsse_bus_decode(t.data, t.len, p.data, p.len, MAXM, &m, err, sizeof err),
                     GQLSSE_BUS_OK);
    assert_int_equal(m.kind, GQLSSE_BUS_MODEL);
    assert_int_equal(m.event, GQLSSE_BUS_CREATE);
    assert_int_equal(m.name_len, 4);
    assert_memory_equal(m.name, "Task", 4);
    assert_string_equal(m.id, "ev1");
    assert_true(json_object_is_type(m.data, json_type_object));
    gqlsse_bus_msg_clear(&m);
    gql_buf_free(&t);
    gql_buf_free(&p);
}

/* Each refusal leaves the buffers untouched and says why. */
static void expect_model_refused(const char *model, const char *event, const char *id,
                                 const char *data, const char *needle)
{
    gql_buf t = GQL_BUF_INIT, p = GQL_BUF_INIT;
    char err[256] = "";
    assert_int_equal(gqlsse_bus_encode_model(&t, &p, model, event, id, data,
                                             data ? strlen(data) : 0, 200, err, sizeof err),
                     -1);
    assert_int_equal(t.len, 0);
    assert_int_equal(p.len, 0);
    if (!strstr(err, needle))
        fail_msg("message '%s' lacks '%s'", err, needle);
    gql_buf_free(&t);
    gql_buf_free(&p);
}

static void test_encode_refusals(void **state)
{
    (void)state;
    expect_model_refused("Task", "save", NULL, "{}", "unknown event kind 'save'");
    expect_model_refused("Task", "", NULL, "{}", "unknown event kind");
    expect_model_refused("", "create", NULL, "{}", "invalid model name");
    expect_model_refused("Task List", "create", NULL, "{}", "invalid model name");
    expect_model_refused("Task", "create", NULL, "{\"id\":1", "invalid JSON");
    expect_model_refused("Task", "create", NULL, "{'id':1}", "invalid JSON");
    expect_model_refused("Task", "create", NULL, "{} {}", "unexpected text after");
    expect_model_refused("Task", "create", NULL, "", "empty JSON");
    expect_model_refused("Task", "create", NULL, "[1]", "must be a JSON object");
    expect_model_refused("Task", "create", NULL, "null", "must be a JSON object");
    expect_model_refused("Task", "create", "bad id", "{}", "invalid event id");
    expect_model_refused("Task", "create", NULL,
                         "{\"t\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
                         "larger than the limit");

    gql_buf t = GQL_BUF_INIT, p = GQL_BUF_INIT;
    char err[256];
    assert_int_equal(gqlsse_bus_encode_topic(&t, &p, "chat/x", NULL, "1", 1, MAXM, err,
                                             sizeof err),
                     -1);
    assert_non_null(strstr(err, "invalid topic name"));
    /* custom events take any JSON value, null included; the id is generated */
    assert_int_equal(gqlsse_bus_encode_topic(&t, &p, "chat", NULL, "null", 4, MAXM, err,
                                             sizeof err),
                     0);
    assert_string_equal(t.data, "topic/chat/");
    assert_int_equal(strncmp(p.data, "{\"topic\":\"chat\",\"id\":\"", 22), 0);
    assert_string_equal(p.data + 22 + 32, "\",\"data\":null}");
    gql_buf_free(&t);
    gql_buf_free(&p);
}

static gqlsse_bus_verdict decode(const char *topic, const char *json, char *why, size_t n)
{
    gqlsse_bus_msg m;
    gqlsse_bus_verdict v =
        gqlsse_bus_decode(topic, strlen(topic), json, strlen(json), 100, &m, why, n);
    gqlsse_bus_msg_clear(&m);
    return v;
}

static void test_decode_verdicts(void **state)
{
    (void)state;
    char why[200];
    const char *ok = "{\"model\":\"Task\",\"event\":\"delete\",\"id\":\"e\",\"data\":{}}";
    assert_int_equal(decode("model/Task/", ok, why, sizeof why), GQLSSE_BUS_OK);
    /* topics: delimiter, prefix, names */
    assert_int_equal(decode("model/Task", ok, why, sizeof why), GQLSSE_BUS_E_TOPIC);
    assert_int_equal(decode("Task/", ok, why, sizeof why), GQLSSE_BUS_E_TOPIC);
    assert_int_equal(decode("model//", ok, why, sizeof why), GQLSSE_BUS_E_TOPIC);
    assert_int_equal(decode("model/Ta sk/", ok, why, sizeof why), GQLSSE_BUS_E_TOPIC);
    assert_int_equal(decode("ctl/", "{\"id\":\"e\"}", why, sizeof why), GQLSSE_BUS_E_TOPIC);
    assert_int_equal(decode("ctl/stream/tok/", "{\"id\":\"e\"}", why, sizeof why),
                     GQLSSE_BUS_OK);
    /* the model in the JSON must be the topic's */
    assert_int_equal(decode("model/TaskList/", ok, why, sizeof why), GQLSSE_BUS_E_MISMATCH);
    /* JSON and fields */
    assert_int_equal(decode("model/Task/", "{", why, sizeof why), GQLSSE_BUS_E_JSON);
    assert_int_equal(decode("model/Task/", "[]", why, sizeof why), GQLSSE_BUS_E_FIELDS);
    assert_int_equal(decode("model/Task/", "null", why, sizeof why), GQLSSE_BUS_E_FIELDS);
    assert_int_equal(
        decode("model/Task/", "{\"model\":\"Task\",\"event\":\"save\",\"id\":\"e\",\"data\":{}}",
               why, sizeof why),
        GQLSSE_BUS_E_FIELDS);
    assert_non_null(strstr(why, "\"event\""));
    assert_int_equal(decode("model/Task/", "{\"model\":\"Task\",\"event\":\"create\",\"data\":{}}",
                            why, sizeof why),
                     GQLSSE_BUS_E_FIELDS);
    assert_non_null(strstr(why, "\"id\""));
    assert_int_equal(
        decode("model/Task/", "{\"model\":\"Task\",\"event\":\"create\",\"id\":\"e\",\"data\":1}",
               why, sizeof why),
        GQLSSE_BUS_E_FIELDS);
    assert_int_equal(decode("topic/chat/", "{\"topic\":\"chat\",\"id\":\"e\",\"data\":null}", why,
                            sizeof why),
                     GQLSSE_BUS_OK);
    assert_int_equal(decode("topic/chat/", "{\"topic\":\"chat\",\"id\":\"e\"}", why, sizeof why),
                     GQLSSE_BUS_E_FIELDS);
    assert_int_equal(decode("topic/chat/", "{\"topic\":\"room\",\"id\":\"e\",\"data\":1}", why,
                            sizeof why),
                     GQLSSE_BUS_E_MISMATCH);
    /* size: the JSON frame limit is 100 here */
    char big[200];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, ok, strlen(ok));
    assert_int_equal(decode("model/Task/", big, why, sizeof why), GQLSSE_BUS_E_SIZE);
    assert_string_equal(gqlsse_bus_verdict_name(GQLSSE_BUS_E_JSON), "json");
}

static void test_stamp(void **state)
{
    (void)state;
    gqlsse_bus_stamp s = {"0123456789abcdef0123456789abcdef", 42, UINT64_MAX}, r;
    char buf[GQLSSE_BUS_STAMP_MAX];
    size_t n = gqlsse_bus_stamp_format(&s, buf, sizeof buf);
    assert_string_equal(buf, "1 0123456789abcdef0123456789abcdef 42 18446744073709551615");
    assert_int_equal(n, strlen(buf));
    assert_int_equal(gqlsse_bus_stamp_parse(buf, n, &r), 0);
    assert_string_equal(r.run, s.run);
    assert_true(r.seq == 42 && r.topic_seq == UINT64_MAX);
    assert_int_equal(gqlsse_bus_stamp_parse(buf, n - 1, &r), 0); /* a shorter number */
    assert_int_equal(gqlsse_bus_stamp_parse("2 0123456789abcdef0123456789abcdef 1 1", 38, &r), -1);
    assert_int_equal(gqlsse_bus_stamp_parse("1 0123456789ABCDEF0123456789abcdef 1 1", 38, &r), -1);
    assert_int_equal(gqlsse_bus_stamp_parse("1 0123456789abcdef0123456789abcdef 1", 36, &r), -1);
    assert_int_equal(gqlsse_bus_stamp_parse("1 0123456789abcdef0123456789abcdef 1 18446744073709551616", 57, &r), -1);
    assert_int_equal(gqlsse_bus_stamp_parse("1 0123456789abcdef0123456789abcdef 1 1 ", 39, &r), -1);
}

/* The publish API refuses invalid input before anything reaches ZeroMQ (no
 * broker is needed: refusals never touch the socket). */
static void test_publisher_refusals(void **state)
{
    (void)state;
    gqlsse_publisher_options o = {0};
    o.address = "ipc:///nonexistent-gqlsse-test/broker";
    o.linger_ms = 0;
    char *err = NULL;
    gqlsse_publisher *p = gqlsse_publisher_new_opts(&o, &err);
    assert_non_null(p);
    assert_null(err);
    assert_int_equal(gqlsse_publisher_publish_model(p, "Task", "save", "{}"), GQLSSE_PUBLISH_EINVAL);
    assert_non_null(strstr(gqlsse_publisher_error(p), "unknown event kind"));
    assert_int_equal(gqlsse_publisher_publish_model(p, "Task", "create", "{"), GQLSSE_PUBLISH_EINVAL);
    assert_int_equal(gqlsse_publisher_publish_model(p, "", "create", "{}"), GQLSSE_PUBLISH_EINVAL);
    assert_int_equal(gqlsse_publisher_publish_topic(p, "", "1"), GQLSSE_PUBLISH_EINVAL);
    assert_int_equal(gqlsse_publisher_publish_topic(p, "chat", NULL), GQLSSE_PUBLISH_EINVAL);
    assert_string_equal(gqlsse_publisher_last_id(p), "");
    /* valid: handed to ZeroMQ (no broker: dropped, as documented) with an id */
    assert_int_equal(gqlsse_publisher_publish_topic_id(p, "chat", "my-id", "{\"room\":\"1\"}"),
                     GQLSSE_PUBLISH_OK);
    assert_string_equal(gqlsse_publisher_last_id(p), "my-id");
    assert_string_equal(gqlsse_publisher_error(p), "");
    assert_int_equal(gqlsse_publisher_wait_ready(p, 10), 0);
    gqlsse_publisher_free(p);
    gqlsse_publisher_free(NULL);

    o.address = "http://localhost/";
    assert_null(gqlsse_publisher_new_opts(&o, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "not a tcp://"));
    free(err);
}

/* Control messages: encode, pass the broker's checks, decode back. */
static void test_control_roundtrip(void **state)
{
    (void)state;
    const char *token = "0123456789abcdef0123456789abcdef";
    gql_buf t = GQL_BUF_INIT, j = GQL_BUF_INIT;
    assert_int_equal(gqlsse_ctl_topic(&t, token), 0);
    assert_string_equal(t.data, "ctl/stream/0123456789abcdef0123456789abcdef/");
    json_object *vars = json_tokener_parse("{\"n\":3,\"s\":\"a\\nb\"}");
    json_object *params = json_tokener_parse("{\"REMOTE_USER\":\"alice\"}");
    assert_int_equal(gqlsse_ctl_encode_start(&j, "op 1\0x", 6, "subscription { countdown(from: 3) }",
                                             NULL, vars, NULL, "alice", params),
                     0);
    gqlsse_bus_msg bm;
    char why[256];
    assert_int_equal(gqlsse_bus_decode(t.data, t.len, j.data, j.len, MAXM, &bm, why, sizeof why),
                     GQLSSE_BUS_OK);
    assert_int_equal(bm.kind, GQLSSE_BUS_CONTROL);
    gqlsse_bus_msg_clear(&bm);
    gqlsse_ctl_msg m;
    assert_int_equal(gqlsse_ctl_decode(t.data, t.len, j.data, j.len, &m, why, sizeof why), 0);
    assert_int_equal(m.op, GQLSSE_CTL_START);
    assert_string_equal(m.token, token);
    assert_int_equal(m.operation_id_len, 6);
    assert_memory_equal(m.operation_id, "op 1\0x", 6);
    assert_string_equal(m.query, "subscription { countdown(from: 3) }");
    assert_null(m.operation_name);
    assert_null(m.extensions);
    assert_string_equal(m.identity, "alice");
    assert_non_null(m.variables);
    json_object *n;
    assert_true(json_object_object_get_ex(m.variables, "n", &n));
    assert_int_equal(json_object_get_int(n), 3);
    assert_non_null(m.params);
    gqlsse_ctl_msg_clear(&m);

    gql_buf_reset(&j);
    assert_int_equal(gqlsse_ctl_encode_stop(&j, "7", 1), 0);
    assert_int_equal(gqlsse_ctl_decode(t.data, t.len, j.data, j.len, &m, why, sizeof why), 0);
    assert_int_equal(m.op, GQLSSE_CTL_STOP);
    assert_int_equal(m.operation_id_len, 1);
    gqlsse_ctl_msg_clear(&m);
    gql_buf_reset(&j);
    assert_int_equal(gqlsse_ctl_encode_replace(&j), 0);
    assert_int_equal(gqlsse_bus_decode(t.data, t.len, j.data, j.len, MAXM, &bm, why, sizeof why),
                     GQLSSE_BUS_OK);
    gqlsse_bus_msg_clear(&bm);
    assert_int_equal(gqlsse_ctl_decode(t.data, t.len, j.data, j.len, &m, why, sizeof why), 0);
    assert_int_equal(m.op, GQLSSE_CTL_REPLACE);
    gqlsse_ctl_msg_clear(&m);
    json_object_put(vars);
    json_object_put(params);
    gql_buf_free(&t);
    gql_buf_free(&j);
}

static void test_control_refusals(void **state)
{
    (void)state;
    gql_buf t = GQL_BUF_INIT, j = GQL_BUF_INIT;
    assert_int_equal(gqlsse_ctl_topic(&t, "0123456789ABCDEF0123456789abcdef"), -1);
    assert_int_equal(gqlsse_ctl_topic(&t, "short"), -1);
    assert_int_equal(gqlsse_ctl_encode_start(&j, NULL, 0, "{a}", NULL, NULL, NULL, "u", NULL), -1);
    gql_buf_free(&t);
    gql_buf_free(&j);
    static const char topic[] = "ctl/stream/0123456789abcdef0123456789abcdef/";
    static const struct {
        const char *topic, *json;
    } bad[] = {
        {"ctl/stream/0123456789abcdef0123456789abcdef", "{\"id\":\"1\",\"op\":\"replace\"}"},
        {"ctl/stream/0123456789abcdef0123456789abcdeg/", "{\"id\":\"1\",\"op\":\"replace\"}"},
        {"ctl/other/0123456789abcdef0123456789abcdef/", "{\"id\":\"1\",\"op\":\"replace\"}"},
        {topic, "{\"id\":\"1\",\"op\":\"explode\"}"},
        {topic, "{\"id\":\"1\"}"},
        {topic, "[1]"},
        {topic, "{'op':'replace'}"},
        {topic, "{\"op\":\"stop\"}"},
        {topic, "{\"op\":\"stop\",\"operationId\":1}"},
        {topic, "{\"op\":\"start\",\"operationId\":\"1\",\"identity\":\"u\"}"},
        {topic, "{\"op\":\"start\",\"operationId\":\"1\",\"query\":\"{a}\","
                "\"identity\":\"u\",\"variables\":[]}"},
        {topic, "{\"op\":\"start\",\"operationId\":\"1\",\"query\":\"{a}\","
                "\"identity\":\"u\",\"operationName\":5}"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gqlsse_ctl_msg m;
        char why[256] = "";
        assert_int_equal(gqlsse_ctl_decode(bad[i].topic, strlen(bad[i].topic), bad[i].json,
                                           strlen(bad[i].json), &m, why, sizeof why),
                         -1);
        assert_true(why[0] != '\0');
        assert_null(m.root);
    }
}

/* Variables holding numbers JSON.parse reads as +-Infinity (1e400, found
 * by fuzz_control): json-c would write them `Infinity`, which the holder of
 * the stream refused, losing the operation. They travel as 1e999. */
static void test_control_infinity(void **state)
{
    (void)state;
    static const char topic[] = "ctl/stream/0123456789abcdef0123456789abcdef/";
    json_object *vars = NULL;
    static const char text[] = "{\"a\":[1e400,-1e400,2.5],\"b\":{\"c\":1e309}}";
    assert_int_equal(gql_json_parse(text, sizeof text - 1, &vars, NULL, 0), 0);
    gql_buf j = GQL_BUF_INIT;
    assert_int_equal(gqlsse_ctl_encode_start(&j, "1", 1, "{ a }", NULL, vars, vars, "u", NULL), 0);
    assert_null(strstr(j.data, "Infinity"));
    gqlsse_ctl_msg m;
    char why[256];
    assert_int_equal(gqlsse_ctl_decode(topic, sizeof topic - 1, j.data, j.len, &m, why, sizeof why),
                     0);
    assert_true(json_object_equal(m.variables, vars));
    assert_true(json_object_equal(m.extensions, vars));
    gqlsse_ctl_msg_clear(&m);
    gql_buf b = GQL_BUF_INIT;
    gqlsse_bus_json_write(&b, vars);
    assert_string_equal(b.data, "{\"a\":[1e999,-1e999,2.5],\"b\":{\"c\":1e999}}");
    gql_buf_free(&b);
    gqlsse_bus_json_write(&b, NULL);
    assert_string_equal(b.data, "null");
    gql_buf_free(&b);
    json_object_put(vars);
    gql_buf_free(&j);
}

/* Mutated control messages (bytes flipped, truncated) are decoded or
 * refused, never crash; a decoded one has what its op needs. */
static void test_control_mutations(void **state)
{
    (void)state;
    static const char topic[] = "ctl/stream/0123456789abcdef0123456789abcdef/";
    gql_buf j = GQL_BUF_INIT;
    json_object *vars = json_tokener_parse("{\"a\":[1,2,{\"b\":null}]}");
    assert_int_equal(gqlsse_ctl_encode_start(&j, "17", 2, "subscription { x }", "Op", vars, vars,
                                             "alice", NULL),
                     0);
    json_object_put(vars);
    unsigned seed = 12345;
    char *buf = malloc(j.len + 1);
    assert_non_null(buf);
    int decoded = 0, refused = 0;
    for (int i = 0; i < 5000; i++) {
        memcpy(buf, j.data, j.len);
        size_t len = j.len;
        int flips = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 3;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            buf[at] = (char)(seed >> 16);
        }
        if (i % 7 == 0)
            len = (seed >> 4) % (len + 1);
        gqlsse_ctl_msg m;
        char why[256];
        if (gqlsse_ctl_decode(topic, sizeof topic - 1, buf, len, &m, why, sizeof why) == 0) {
            decoded++;
            assert_non_null(m.root);
            if (m.op != GQLSSE_CTL_REPLACE)
                assert_non_null(m.operation_id);
            if (m.op == GQLSSE_CTL_START) {
                assert_non_null(m.query);
                assert_non_null(m.identity);
            }
            gqlsse_ctl_msg_clear(&m);
        } else {
            refused++;
            assert_null(m.root);
        }
    }
    assert_true(decoded > 0 && refused > 0);
    free(buf);
    gql_buf_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_random_id),
        cmocka_unit_test(test_encode_model),
        cmocka_unit_test(test_encode_refusals),
        cmocka_unit_test(test_decode_verdicts),
        cmocka_unit_test(test_stamp),
        cmocka_unit_test(test_publisher_refusals),
        cmocka_unit_test(test_control_roundtrip),
        cmocka_unit_test(test_control_refusals),
        cmocka_unit_test(test_control_mutations),
        cmocka_unit_test(test_control_infinity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

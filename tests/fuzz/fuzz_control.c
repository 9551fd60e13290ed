/* fuzz_control.c: libFuzzer target for single connection mode's control
 * messages (src/bus/control.c), which a worker decodes from the broker.
 *
 * Input: "TOPIC\nJSON" (no newline: all topic). Checked: a refused message
 * has a reason and nothing to free; an accepted one has a 32-hex-digit
 * token, the fields its op needs, objects where objects belong, and
 * encoding it again (gqlsse_ctl_encode_*) decodes to the same message.
 *
 *   make fuzz FUZZ_TARGET=control && ./fuzz/fuzz_control CRASH-FILE
 */
#define FUZZ_NAME "fuzz_control"
#include "fuzz_check.h"

#include "bus/control.h"

#include <string.h>

static int same_obj(json_object *a, json_object *b)
{
    return (!a && !b) || (a && b && json_object_equal(a, b));
}

/* Strings travel as JSON.stringify writes them (gql_buf_json_string):
 * bytes that are not UTF-8 become U+FFFD, so a and b are compared as
 * that JSON text (len (size_t)-1: up to the NUL). */
static int same_str(const char *a, size_t alen, const char *b, size_t blen)
{
    if (!a || !b)
        return !a && !b;
    gql_buf x = GQL_BUF_INIT, y = GQL_BUF_INIT;
    gql_buf_json_string(&x, a, alen == (size_t)-1 ? strlen(a) : alen);
    gql_buf_json_string(&y, b, blen == (size_t)-1 ? strlen(b) : blen);
    CHECK(!x.oom && !y.oom, "out of memory");
    int same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    gql_buf_free(&x);
    gql_buf_free(&y);
    return same;
}

static void check_roundtrip(const gqlsse_ctl_msg *m)
{
    gql_buf topic = GQL_BUF_INIT, json = GQL_BUF_INIT;
    CHECK(gqlsse_ctl_topic(&topic, m->token) == 0, "the token does not make a topic");
    int rc = -1;
    switch (m->op) {
    case GQLSSE_CTL_START:
        rc = gqlsse_ctl_encode_start(&json, m->operation_id, m->operation_id_len, m->query,
                                     m->operation_name, m->variables, m->extensions,
                                     m->identity, m->params);
        break;
    case GQLSSE_CTL_STOP:
        rc = gqlsse_ctl_encode_stop(&json, m->operation_id, m->operation_id_len);
        break;
    case GQLSSE_CTL_REPLACE:
        rc = gqlsse_ctl_encode_replace(&json);
        break;
    }
    CHECK(rc == 0, "a decoded message does not encode again");
    gqlsse_ctl_msg a;
    char why[256];
    if (gqlsse_ctl_decode(topic.data, topic.len, json.data, json.len, &a, why, sizeof why) < 0) {
        fprintf(stderr, "decode again: %s\njson: %s\n", why, json.data);
        CHECK(0, "an encoded message does not decode");
    }
    CHECK(a.op == m->op && strcmp(a.token, m->token) == 0, "op or token changed");
    CHECK(same_str(a.operation_id, a.operation_id_len, m->operation_id, m->operation_id_len),
          "operationId changed");
    /* query and identity are C strings: compared up to their first NUL */
    CHECK(same_str(a.query, (size_t)-1, m->query, (size_t)-1) &&
              same_str(a.identity, (size_t)-1, m->identity, (size_t)-1) &&
              same_str(a.operation_name, (size_t)-1, m->operation_name, (size_t)-1),
          "query, identity or operationName changed");
    CHECK(same_obj(a.variables, m->variables) && same_obj(a.extensions, m->extensions) &&
              same_obj(a.params, m->params),
          "variables, extensions or params changed");
    gqlsse_ctl_msg_clear(&a);
    gql_buf_free(&topic);
    gql_buf_free(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input = data;
    fuzz_input_size = size;
    size_t topic_len, json_len;
    const uint8_t *json;
    fuzz_split_message(data, size, &topic_len, &json, &json_len);

    gqlsse_ctl_msg m;
    char why[256];
    why[0] = '\0';
    if (gqlsse_ctl_decode(data, topic_len, json, json_len, &m, why, sizeof why) < 0) {
        CHECK(why[0], "a refused message without a reason");
        CHECK(!m.root && !m.query && !m.operation_id, "a refused message holds something");
        return 0;
    }
    CHECK(m.root && json_object_is_type(m.root, json_type_object), "no root object");
    CHECK(strlen(m.token) == GQLSSE_CTL_TOKEN_LEN, "token length");
    CHECK(m.op == GQLSSE_CTL_START || m.op == GQLSSE_CTL_STOP || m.op == GQLSSE_CTL_REPLACE,
          "op out of range");
    if (m.op != GQLSSE_CTL_REPLACE)
        CHECK(m.operation_id, "no operationId");
    if (m.op == GQLSSE_CTL_START) {
        CHECK(m.query && m.identity, "start without query or identity");
        CHECK(!m.variables || json_object_is_type(m.variables, json_type_object),
              "variables not an object");
        CHECK(!m.extensions || json_object_is_type(m.extensions, json_type_object),
              "extensions not an object");
        CHECK(!m.params || json_object_is_type(m.params, json_type_object),
              "params not an object");
    }
    check_roundtrip(&m);
    gqlsse_ctl_msg_clear(&m);
    return 0;
}

/* fuzz_bus.c: libFuzzer target for the broker message codec
 * (src/bus/codec.c): what gqlsse-broker and the workers decode from the
 * network: a published message (topic frame, JSON frame) and the broker's
 * sequence stamp frame.
 *
 * Input: "TOPIC\nJSON" (no newline: all topic, empty JSON); the whole input
 * is also parsed as a stamp. Checked: a refused message has a verdict, a
 * reason and nothing to free; an accepted one has a valid name inside the
 * topic frame, a valid id, data of the right kind, and encoding it again
 * (gqlsse_bus_encode_model / _topic) decodes to the same message; a parsed
 * stamp formats to a stamp that parses to the same values.
 *
 *   make fuzz FUZZ_TARGET=bus && ./fuzz/fuzz_bus CRASH-FILE
 */
#define FUZZ_NAME "fuzz_bus"
#include "fuzz_check.h"

#include "bus/codec.h"

#include <string.h>

#define MAX_MESSAGE 4096

static void check_roundtrip(const gqlsse_bus_msg *m)
{
    char name[GQLSSE_BUS_MAX_NAME + 1];
    CHECK(m->name_len <= GQLSSE_BUS_MAX_NAME, "name too long");
    memcpy(name, m->name, m->name_len);
    name[m->name_len] = '\0';
    gql_buf text = GQL_BUF_INIT;
    gqlsse_bus_json_write(&text, m->data);
    CHECK(!text.oom && text.data, "data does not serialise");
    const char *data = text.data;
    gql_buf topic = GQL_BUF_INIT, payload = GQL_BUF_INIT;
    char err[256];
    int rc = m->kind == GQLSSE_BUS_MODEL
                 ? gqlsse_bus_encode_model(&topic, &payload, name,
                                           gqlsse_bus_event_name(m->event), m->id, data,
                                           strlen(data), 1u << 20, err, sizeof err)
                 : gqlsse_bus_encode_topic(&topic, &payload, name, m->id, data, strlen(data),
                                           1u << 20, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "encode: %s\ndata: %s\n", err, data);
        CHECK(0, "a decoded message does not encode again");
    }
    gqlsse_bus_msg again;
    char why[256];
    gqlsse_bus_verdict v = gqlsse_bus_decode(topic.data, topic.len, payload.data, payload.len,
                                             1u << 20, &again, why, sizeof why);
    if (v != GQLSSE_BUS_OK) {
        fprintf(stderr, "decode again: %s\n", why);
        CHECK(0, "an encoded message does not decode");
    }
    CHECK(again.kind == m->kind && again.event == m->event && again.name_len == m->name_len &&
              memcmp(again.name, m->name, m->name_len) == 0 && strcmp(again.id, m->id) == 0,
          "encode/decode changed the message");
    CHECK((!again.data && !m->data) || json_object_equal(again.data, m->data),
          "encode/decode changed the data");
    gqlsse_bus_msg_clear(&again);
    gql_buf_free(&topic);
    gql_buf_free(&payload);
    gql_buf_free(&text);
}

static void check_stamp(const uint8_t *data, size_t size)
{
    gqlsse_bus_stamp s;
    if (gqlsse_bus_stamp_parse(data, size, &s) < 0)
        return;
    CHECK(strlen(s.run) == GQLSSE_BUS_RUN_ID_LEN, "run id length");
    char out[GQLSSE_BUS_STAMP_MAX];
    size_t n = gqlsse_bus_stamp_format(&s, out, sizeof out);
    CHECK(n > 0 && n < sizeof out && strlen(out) == n, "stamp format length");
    gqlsse_bus_stamp t;
    CHECK(gqlsse_bus_stamp_parse(out, n, &t) == 0, "a formatted stamp does not parse");
    CHECK(strcmp(s.run, t.run) == 0 && s.seq == t.seq && s.topic_seq == t.topic_seq,
          "stamp format/parse changed the values");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input = data;
    fuzz_input_size = size;
    size_t topic_len, json_len;
    const uint8_t *json;
    fuzz_split_message(data, size, &topic_len, &json, &json_len);

    gqlsse_bus_msg m;
    char why[256];
    why[0] = '\0';
    gqlsse_bus_verdict v =
        gqlsse_bus_decode(data, topic_len, json, json_len, MAX_MESSAGE, &m, why, sizeof why);
    CHECK(v >= GQLSSE_BUS_OK && v < GQLSSE_BUS_VERDICT_COUNT, "verdict out of range");
    CHECK(strcmp(gqlsse_bus_verdict_name(v), "unknown") != 0, "verdict without a name");
    if (v != GQLSSE_BUS_OK) {
        CHECK(why[0], "a refused message without a reason");
        CHECK(!m.root && !m.data && !m.id, "a refused message holds something");
    } else {
        CHECK(m.root && json_object_is_type(m.root, json_type_object), "no root object");
        CHECK(m.id && gqlsse_bus_id_ok(m.id, strlen(m.id)), "invalid id accepted");
        CHECK(m.name >= (const char *)data && m.name + m.name_len <= (const char *)data + topic_len,
              "name outside the topic frame");
        switch (m.kind) {
        case GQLSSE_BUS_MODEL:
            CHECK(gqlsse_bus_model_name_ok(m.name, m.name_len), "invalid model name accepted");
            CHECK(m.event != GQLSSE_BUS_EVENT_NONE, "model event without an event");
            CHECK(m.data && json_object_is_type(m.data, json_type_object),
                  "model data not an object");
            check_roundtrip(&m);
            break;
        case GQLSSE_BUS_TOPIC:
            CHECK(gqlsse_bus_topic_name_ok(m.name, m.name_len), "invalid topic name accepted");
            check_roundtrip(&m);
            break;
        case GQLSSE_BUS_CONTROL:
            CHECK(m.name_len > 0, "empty control topic");
            break;
        default:
            CHECK(0, "kind out of range");
        }
    }
    gqlsse_bus_msg_clear(&m);
    check_stamp(data, size);
    return 0;
}

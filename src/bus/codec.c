/* codec.c: broker message format: names, ids, strict JSON checks, encoding of
 * published events, validation of received ones and the sequence stamp. */
#include "config.h"

#include "bus/codec.h"

#include <gqlsse/execute.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static const char *const event_names[] = {"", "create", "update", "delete"};

gqlsse_bus_event gqlsse_bus_event_parse(const char *s)
{
    if (!s)
        return GQLSSE_BUS_EVENT_NONE;
    for (int i = 1; i <= 3; i++)
        if (strcmp(s, event_names[i]) == 0)
            return (gqlsse_bus_event)i;
    return GQLSSE_BUS_EVENT_NONE;
}

const char *gqlsse_bus_event_name(gqlsse_bus_event e)
{
    return (e >= GQLSSE_BUS_CREATE && e <= GQLSSE_BUS_DELETE) ? event_names[e] : "";
}

const char *gqlsse_bus_verdict_name(gqlsse_bus_verdict v)
{
    static const char *const names[GQLSSE_BUS_VERDICT_COUNT] = {
        "ok", "frames", "size", "topic", "json", "fields", "mismatch"};
    return (v >= 0 && v < GQLSSE_BUS_VERDICT_COUNT) ? names[v] : "unknown";
}

static int is_alpha_(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

int gqlsse_bus_model_name_ok(const char *s, size_t n)
{
    if (!s || n == 0 || n > GQLSSE_BUS_MAX_NAME || !is_alpha_((unsigned char)s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_alpha_((unsigned char)s[i]) && !is_digit((unsigned char)s[i]))
            return 0;
    return 1;
}

int gqlsse_bus_topic_name_ok(const char *s, size_t n)
{
    if (!s || n == 0 || n > GQLSSE_BUS_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (!is_alpha_(c) && !is_digit(c) && c != '.' && c != ':' && c != '-')
            return 0;
    }
    return 1;
}

int gqlsse_bus_id_ok(const char *s, size_t n)
{
    if (!s || n == 0 || n > GQLSSE_BUS_MAX_ID)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return 0;
    return 1;
}

static int random_bytes(unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        got += (size_t)r;
    }
    if (got == n)
        return 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    return 0;
}

int gqlsse_bus_random_id(char out[GQLSSE_BUS_RUN_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[GQLSSE_BUS_RUN_ID_LEN / 2];
    if (random_bytes(b, sizeof b) < 0)
        return -1;
    for (size_t i = 0; i < sizeof b; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[GQLSSE_BUS_RUN_ID_LEN] = '\0';
    return 0;
}

json_object *gqlsse_bus_json_parse(const char *s, size_t len, int *is_null, char *err,
                                   size_t errlen)
{
    if (is_null)
        *is_null = 0;
    size_t start = 0;
    while (start < len && (s[start] == ' ' || s[start] == '\t' || s[start] == '\n' ||
                           s[start] == '\r'))
        start++;
    if (start == len) {
        snprintf(err, errlen, "empty JSON");
        return NULL;
    }
    /* The engine's JSON.parse: strict RFC 8259 (json-c's tokener accepts
     * single quotes even in strict mode). */
    json_object *v = NULL;
    char jerr[128];
    if (gql_json_parse(s, len, &v, jerr, sizeof jerr) < 0) {
        snprintf(err, errlen, "invalid JSON: %s", jerr);
        return NULL;
    }
    if (!v) {
        if (is_null)
            *is_null = 1;
        else
            snprintf(err, errlen, "JSON null");
    }
    return v;
}

/* Does `v` hold a non-finite number anywhere? */
static int has_nonfinite(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_double:
        return !isfinite(json_object_get_double(v));
    case json_type_array: {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            if (has_nonfinite(json_object_array_get_idx(v, i)))
                return 1;
        return 0;
    }
    case json_type_object: {
        json_object_object_foreach(v, key, val)
        {
            (void)key;
            if (has_nonfinite(val))
                return 1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* json-c writes a non-finite double (what JSON.parse makes of 1e400) as
 * `Infinity`, which no JSON parser reads: a control message carrying it
 * would be refused by the process holding the stream and the operation
 * lost. 1e999 reads back as Infinity. Everything else is json-c's text. */
void gqlsse_bus_json_write(gql_buf *json, json_object *v)
{
    if (!has_nonfinite(v)) {
        gql_buf_puts(json, v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null");
        return;
    }
    switch (json_object_get_type(v)) {
    case json_type_double: {
        double d = json_object_get_double(v);
        gql_buf_puts(json, isnan(d) ? "null" : d > 0 ? "1e999" : "-1e999");
        return;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        gql_buf_putc(json, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                gql_buf_putc(json, ',');
            gqlsse_bus_json_write(json, json_object_array_get_idx(v, i));
        }
        gql_buf_putc(json, ']');
        return;
    }
    default: { /* an object */
        int first = 1;
        gql_buf_putc(json, '{');
        json_object_object_foreach(v, key, val)
        {
            if (!first)
                gql_buf_putc(json, ',');
            first = 0;
            json_object *k = json_object_new_string(key); /* json-c's escaping */
            if (!k) {
                json->oom = 1;
                return;
            }
            gql_buf_puts(json, json_object_to_json_string_ext(k, JSON_C_TO_STRING_PLAIN));
            json_object_put(k);
            gql_buf_putc(json, ':');
            gqlsse_bus_json_write(json, val);
        }
        gql_buf_putc(json, '}');
        return;
    }
    }
}

/* Appends `s` with surrounding whitespace removed (the value was checked). */
static void append_trimmed(gql_buf *b, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    gql_buf_append(b, s, n);
}

/* Common tail of the two encoders: checks the id and data, writes the
 * payload's "id" and "data" members and the closing brace. */
static int encode_common(gql_buf *topic, gql_buf *payload, size_t topic_mark,
                         size_t payload_mark, const char *id, const char *data, size_t data_len,
                         int need_object, size_t max_message, char *err, size_t errlen)
{
    char gen[GQLSSE_BUS_RUN_ID_LEN + 1];
    if (!id || !*id) {
        if (gqlsse_bus_random_id(gen) < 0) {
            snprintf(err, errlen, "cannot generate an event id: no randomness available");
            goto fail;
        }
        id = gen;
    } else if (!gqlsse_bus_id_ok(id, strlen(id))) {
        snprintf(err, errlen,
                 "invalid event id: 1 to %d printable ASCII characters without spaces",
                 GQLSSE_BUS_MAX_ID);
        goto fail;
    }
    if (!data) {
        snprintf(err, errlen, "no data given");
        goto fail;
    }
    int is_null;
    char jerr[160];
    json_object *v = gqlsse_bus_json_parse(data, data_len, &is_null, jerr, sizeof jerr);
    if (!v && !is_null) {
        snprintf(err, errlen, "data: %s", jerr);
        goto fail;
    }
    int is_object = v && json_object_is_type(v, json_type_object);
    json_object_put(v);
    if (need_object && !is_object) {
        snprintf(err, errlen, "data of a model event must be a JSON object");
        goto fail;
    }
    gql_buf_puts(payload, ",\"id\":");
    gql_buf_json_string(payload, id, strlen(id));
    gql_buf_puts(payload, ",\"data\":");
    append_trimmed(payload, data, data_len);
    gql_buf_putc(payload, '}');
    if (topic->oom || payload->oom) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (payload->len - payload_mark > max_message) {
        snprintf(err, errlen, "message of %zu bytes is larger than the limit of %zu bytes",
                 payload->len - payload_mark, max_message);
        goto fail;
    }
    return 0;
fail:
    topic->len = topic_mark;
    payload->len = payload_mark;
    if (topic->data)
        topic->data[topic_mark] = '\0';
    if (payload->data)
        payload->data[payload_mark] = '\0';
    return -1;
}

int gqlsse_bus_encode_model(gql_buf *topic, gql_buf *payload, const char *model,
                            const char *event, const char *id, const char *data,
                            size_t data_len, size_t max_message, char *err, size_t errlen)
{
    if (!model || !gqlsse_bus_model_name_ok(model, strlen(model))) {
        snprintf(err, errlen, "invalid model name '%s': a GraphQL name of at most %d bytes",
                 model ? model : "", GQLSSE_BUS_MAX_NAME);
        return -1;
    }
    gqlsse_bus_event ev = gqlsse_bus_event_parse(event);
    if (ev == GQLSSE_BUS_EVENT_NONE) {
        snprintf(err, errlen,
                 "unknown event kind '%s': expected create, update or delete "
                 "(save is a subscription-side notion: publish create or update)",
                 event ? event : "");
        return -1;
    }
    size_t tm = topic->len, pm = payload->len;
    gql_buf_puts(topic, GQLSSE_BUS_MODEL_PREFIX);
    gql_buf_puts(topic, model);
    gql_buf_putc(topic, '/');
    gql_buf_puts(payload, "{\"model\":");
    gql_buf_json_string(payload, model, strlen(model));
    gql_buf_puts(payload, ",\"event\":\"");
    gql_buf_puts(payload, gqlsse_bus_event_name(ev));
    gql_buf_putc(payload, '"');
    return encode_common(topic, payload, tm, pm, id, data, data_len, 1, max_message, err, errlen);
}

int gqlsse_bus_encode_topic(gql_buf *topic, gql_buf *payload, const char *name,
                            const char *id, const char *data, size_t data_len,
                            size_t max_message, char *err, size_t errlen)
{
    if (!name || !gqlsse_bus_topic_name_ok(name, strlen(name))) {
        snprintf(err, errlen,
                 "invalid topic name '%s': 1 to %d characters of A-Z a-z 0-9 _ . : -",
                 name ? name : "", GQLSSE_BUS_MAX_NAME);
        return -1;
    }
    size_t tm = topic->len, pm = payload->len;
    gql_buf_puts(topic, GQLSSE_BUS_TOPIC_PREFIX);
    gql_buf_puts(topic, name);
    gql_buf_putc(topic, '/');
    gql_buf_puts(payload, "{\"topic\":");
    gql_buf_json_string(payload, name, strlen(name));
    return encode_common(topic, payload, tm, pm, id, data, data_len, 0, max_message, err, errlen);
}

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t pn = strlen(p);
    return n >= pn && memcmp(s, p, pn) == 0;
}

/* A string member `key` of `obj`, or NULL. */
static const char *member_string(json_object *obj, const char *key, size_t *len)
{
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    *len = (size_t)json_object_get_string_len(v);
    return json_object_get_string(v);
}

gqlsse_bus_verdict gqlsse_bus_decode(const void *topic_frame, size_t topic_len,
                                     const void *json, size_t json_len, size_t max_message,
                                     gqlsse_bus_msg *out, char *why, size_t whylen)
{
    const char *t = topic_frame;
    memset(out, 0, sizeof *out);
    if (json_len > max_message) {
        snprintf(why, whylen, "JSON frame of %zu bytes exceeds the limit of %zu", json_len,
                 max_message);
        return GQLSSE_BUS_E_SIZE;
    }
    if (topic_len > GQLSSE_BUS_MAX_TOPIC) {
        snprintf(why, whylen, "topic of %zu bytes exceeds the limit of %d", topic_len,
                 GQLSSE_BUS_MAX_TOPIC);
        return GQLSSE_BUS_E_SIZE;
    }
    gqlsse_bus_kind kind;
    const char *name = NULL;
    size_t name_len = 0;
    if (topic_len < 2 || t[topic_len - 1] != '/')
        goto bad_topic;
    if (has_prefix(t, topic_len, GQLSSE_BUS_MODEL_PREFIX)) {
        kind = GQLSSE_BUS_MODEL;
        name = t + strlen(GQLSSE_BUS_MODEL_PREFIX);
        name_len = topic_len - strlen(GQLSSE_BUS_MODEL_PREFIX) - 1;
        if (!gqlsse_bus_model_name_ok(name, name_len))
            goto bad_topic;
    } else if (has_prefix(t, topic_len, GQLSSE_BUS_TOPIC_PREFIX)) {
        kind = GQLSSE_BUS_TOPIC;
        name = t + strlen(GQLSSE_BUS_TOPIC_PREFIX);
        name_len = topic_len - strlen(GQLSSE_BUS_TOPIC_PREFIX) - 1;
        if (!gqlsse_bus_topic_name_ok(name, name_len))
            goto bad_topic;
    } else if (has_prefix(t, topic_len, GQLSSE_BUS_CONTROL_PREFIX) &&
               topic_len > strlen(GQLSSE_BUS_CONTROL_PREFIX) + 1) {
        kind = GQLSSE_BUS_CONTROL;
        name = t + strlen(GQLSSE_BUS_CONTROL_PREFIX);
        name_len = topic_len - strlen(GQLSSE_BUS_CONTROL_PREFIX) - 1;
        for (size_t i = 0; i < name_len; i++)
            if ((unsigned char)name[i] <= 0x20 || (unsigned char)name[i] >= 0x7f)
                goto bad_topic;
    } else {
        goto bad_topic;
    }

    char jerr[160];
    int is_null;
    json_object *root = gqlsse_bus_json_parse(json, json_len, &is_null, jerr, sizeof jerr);
    if (!root && !is_null) {
        snprintf(why, whylen, "%s", jerr);
        return GQLSSE_BUS_E_JSON;
    }
    if (!root || !json_object_is_type(root, json_type_object)) {
        snprintf(why, whylen, "the JSON frame is not an object");
        json_object_put(root);
        return GQLSSE_BUS_E_FIELDS;
    }
    size_t idlen;
    const char *id = member_string(root, "id", &idlen);
    if (!id || !gqlsse_bus_id_ok(id, idlen)) {
        snprintf(why, whylen, "\"id\" missing or not 1-%d printable ASCII characters",
                 GQLSSE_BUS_MAX_ID);
        goto bad_fields;
    }
    json_object *data = NULL;
    int has_data = json_object_object_get_ex(root, "data", &data);
    if (kind == GQLSSE_BUS_MODEL) {
        size_t mlen, elen;
        const char *m = member_string(root, "model", &mlen);
        const char *e = member_string(root, "event", &elen);
        if (!m) {
            snprintf(why, whylen, "\"model\" missing or not a string");
            goto bad_fields;
        }
        if (!e || (out->event = gqlsse_bus_event_parse(e)) == GQLSSE_BUS_EVENT_NONE) {
            snprintf(why, whylen, "\"event\" missing or not create, update or delete");
            goto bad_fields;
        }
        if (!has_data || !json_object_is_type(data, json_type_object)) {
            snprintf(why, whylen, "\"data\" missing or not an object");
            goto bad_fields;
        }
        if (mlen != name_len || memcmp(m, name, name_len) != 0) {
            snprintf(why, whylen, "\"model\" does not match the topic");
            out->event = GQLSSE_BUS_EVENT_NONE;
            json_object_put(root);
            return GQLSSE_BUS_E_MISMATCH;
        }
    } else if (kind == GQLSSE_BUS_TOPIC) {
        size_t tlen;
        const char *tn = member_string(root, "topic", &tlen);
        if (!tn) {
            snprintf(why, whylen, "\"topic\" missing or not a string");
            goto bad_fields;
        }
        if (!has_data) {
            snprintf(why, whylen, "\"data\" missing");
            goto bad_fields;
        }
        if (tlen != name_len || memcmp(tn, name, name_len) != 0) {
            snprintf(why, whylen, "\"topic\" does not match the topic frame");
            json_object_put(root);
            return GQLSSE_BUS_E_MISMATCH;
        }
    }
    out->kind = kind;
    out->name = name;
    out->name_len = name_len;
    out->id = id;
    out->data = data;
    out->root = root;
    return GQLSSE_BUS_OK;

bad_fields:
    out->event = GQLSSE_BUS_EVENT_NONE;
    json_object_put(root);
    return GQLSSE_BUS_E_FIELDS;
bad_topic:
    snprintf(why, whylen,
             "topic is not model/NAME/, topic/NAME/ or ctl/.../ with a valid name");
    return GQLSSE_BUS_E_TOPIC;
}

void gqlsse_bus_msg_clear(gqlsse_bus_msg *m)
{
    if (!m)
        return;
    json_object_put(m->root);
    memset(m, 0, sizeof *m);
}

size_t gqlsse_bus_stamp_format(const gqlsse_bus_stamp *s, char *out, size_t cap)
{
    int n = snprintf(out, cap, "1 %s %" PRIu64 " %" PRIu64, s->run, s->seq, s->topic_seq);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Parses a decimal u64 at *p (advancing it); -1 when none or overflow. */
static int parse_u64(const char **p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    const char *s = *p;
    if (s >= end || !is_digit((unsigned char)*s))
        return -1;
    while (s < end && is_digit((unsigned char)*s)) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
        s++;
    }
    *p = s;
    *out = v;
    return 0;
}

int gqlsse_bus_stamp_parse(const void *frame, size_t n, gqlsse_bus_stamp *out)
{
    const char *s = frame, *end = s + n;
    if (n < 2 + GQLSSE_BUS_RUN_ID_LEN + 4 || s[0] != '1' || s[1] != ' ')
        return -1;
    s += 2;
    for (int i = 0; i < GQLSSE_BUS_RUN_ID_LEN; i++) {
        char c = s[i];
        if (!is_digit((unsigned char)c) && !(c >= 'a' && c <= 'f'))
            return -1;
        out->run[i] = c;
    }
    out->run[GQLSSE_BUS_RUN_ID_LEN] = '\0';
    s += GQLSSE_BUS_RUN_ID_LEN;
    if (s >= end || *s++ != ' ' || parse_u64(&s, end, &out->seq) < 0)
        return -1;
    if (s >= end || *s++ != ' ' || parse_u64(&s, end, &out->topic_seq) < 0)
        return -1;
    return s == end ? 0 : -1;
}

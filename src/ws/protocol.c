/* protocol.c: graphql-transport-ws message validation, the rules of
 * graphql-ws's validateMessage in the same order. */
#include "config.h"

#include "ws/protocol.h"

#include <gqlsse/execute.h>

#include <string.h>

/* graphql-ws isObject: a non-null, non-array object. */
static int is_object(json_object *v)
{
    return v && json_object_is_type(v, json_type_object);
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* JavaScript truthiness of a JSON value (the `!val.type` test). */
static int truthy(json_object *v)
{
    if (!v)
        return 0;
    switch (json_object_get_type(v)) {
    case json_type_boolean:
        return json_object_get_boolean(v);
    case json_type_double:
    case json_type_int: {
        double d = json_object_get_double(v);
        return d == d && d != 0;
    }
    case json_type_string:
        return json_object_get_string_len(v) > 0;
    default:
        return 1;
    }
}

static int id_ok(gqlsse_ws_msg *m, const char **why)
{
    json_object *id = member(m->root, "id");
    if (!id || !json_object_is_type(id, json_type_string)) {
        *why = "the 'id' property must be a string";
        return -1;
    }
    if (json_object_get_string_len(id) == 0) {
        *why = "the 'id' property must not be empty";
        return -1;
    }
    m->id = json_object_get_string(id);
    m->id_len = (size_t)json_object_get_string_len(id);
    return 0;
}

static int nullish_or_object(json_object *v)
{
    return !v || is_object(v);
}

int gqlsse_ws_msg_parse(const char *text, size_t len, gqlsse_ws_msg *m, const char **why)
{
    memset(m, 0, sizeof *m);
    *why = NULL;
    if (gql_json_parse(text, len, &m->root, NULL, 0) < 0) {
        *why = "not JSON";
        return -1;
    }
    if (!is_object(m->root)) {
        *why = "not an object";
        goto bad;
    }
    json_object *type = member(m->root, "type");
    if (!truthy(type)) {
        *why = "the 'type' property is missing";
        goto bad;
    }
    if (!json_object_is_type(type, json_type_string)) {
        *why = "the 'type' property must be a string";
        goto bad;
    }
    static const struct {
        const char *name;
        gqlsse_ws_msg_type type;
    } types[] = {
        {"connection_init", GQLSSE_WS_MSG_CONNECTION_INIT},
        {"connection_ack", GQLSSE_WS_MSG_CONNECTION_ACK},
        {"ping", GQLSSE_WS_MSG_PING},
        {"pong", GQLSSE_WS_MSG_PONG},
        {"subscribe", GQLSSE_WS_MSG_SUBSCRIBE},
        {"next", GQLSSE_WS_MSG_NEXT},
        {"error", GQLSSE_WS_MSG_ERROR},
        {"complete", GQLSSE_WS_MSG_COMPLETE},
    };
    const char *tname = json_object_get_string(type);
    size_t tlen = (size_t)json_object_get_string_len(type);
    size_t k;
    for (k = 0; k < sizeof types / sizeof *types; k++)
        if (strlen(types[k].name) == tlen && !memcmp(types[k].name, tname, tlen))
            break;
    if (k == sizeof types / sizeof *types) {
        *why = "invalid 'type' property";
        goto bad;
    }
    m->type = types[k].type;
    json_object *payload = member(m->root, "payload");
    switch (m->type) {
    case GQLSSE_WS_MSG_CONNECTION_INIT:
    case GQLSSE_WS_MSG_CONNECTION_ACK:
    case GQLSSE_WS_MSG_PING:
    case GQLSSE_WS_MSG_PONG:
        if (!nullish_or_object(payload)) {
            *why = "the 'payload' property must be an object or nullish";
            goto bad;
        }
        m->payload = payload;
        break;
    case GQLSSE_WS_MSG_SUBSCRIBE: {
        if (id_ok(m, why) < 0)
            goto bad;
        if (!is_object(payload)) {
            *why = "the 'payload' property must be an object";
            goto bad;
        }
        m->payload = payload;
        json_object *q = member(payload, "query");
        if (!q || !json_object_is_type(q, json_type_string)) {
            *why = "the payload's 'query' property must be a string";
            goto bad;
        }
        m->query = json_object_get_string(q);
        m->query_len = (size_t)json_object_get_string_len(q);
        json_object *vars = member(payload, "variables");
        if (!nullish_or_object(vars)) {
            *why = "the payload's 'variables' property must be an object or nullish";
            goto bad;
        }
        m->variables = vars;
        json_object *on = member(payload, "operationName");
        if (on && !json_object_is_type(on, json_type_string)) {
            *why = "the payload's 'operationName' property must be a string or nullish";
            goto bad;
        }
        m->operation_name = on ? json_object_get_string(on) : NULL;
        m->operation_name_len = on ? (size_t)json_object_get_string_len(on) : 0;
        if (!nullish_or_object(member(payload, "extensions"))) {
            *why = "the payload's 'extensions' property must be an object or nullish";
            goto bad;
        }
        break;
    }
    case GQLSSE_WS_MSG_NEXT:
        if (id_ok(m, why) < 0)
            goto bad;
        if (!is_object(payload)) {
            *why = "the 'payload' property must be an object";
            goto bad;
        }
        m->payload = payload;
        break;
    case GQLSSE_WS_MSG_ERROR: {
        if (id_ok(m, why) < 0)
            goto bad;
        /* areGraphQLFormattedErrors: a non-empty array of objects with a
         * `message` key. */
        size_t n = payload && json_object_is_type(payload, json_type_array)
                       ? json_object_array_length(payload)
                       : 0;
        if (n == 0) {
            *why = "the 'payload' property must be an array of GraphQL errors";
            goto bad;
        }
        for (size_t i = 0; i < n; i++) {
            json_object *e = json_object_array_get_idx(payload, i);
            if (!is_object(e) || !json_object_object_get_ex(e, "message", NULL)) {
                *why = "the 'payload' property must be an array of GraphQL errors";
                goto bad;
            }
        }
        m->payload = payload;
        break;
    }
    case GQLSSE_WS_MSG_COMPLETE:
        if (id_ok(m, why) < 0)
            goto bad;
        break;
    }
    return 0;
bad:
    gqlsse_ws_msg_clear(m);
    return -1;
}

void gqlsse_ws_msg_clear(gqlsse_ws_msg *m)
{
    json_object_put(m->root);
    memset(m, 0, sizeof *m);
}

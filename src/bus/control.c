/* control.c: encoding and decoding of single connection mode's control
 * messages (control.h). */
#include "config.h"

#include "bus/control.h"
#include "bus/codec.h"

#include <stdio.h>
#include <string.h>

static int token_ok(const char *t, size_t n)
{
    if (!t || n != GQLSSE_CTL_TOKEN_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
            return 0;
    return 1;
}

int gqlsse_ctl_topic(gql_buf *topic, const char *token)
{
    if (!token || !token_ok(token, strlen(token)))
        return -1;
    gql_buf_puts(topic, GQLSSE_CTL_STREAM_PREFIX);
    gql_buf_puts(topic, token);
    gql_buf_putc(topic, '/');
    return topic->oom ? -1 : 0;
}

/* {"id":RANDOM,"op":OP */
static int open_msg(gql_buf *json, const char *op)
{
    char id[GQLSSE_BUS_RUN_ID_LEN + 1];
    if (gqlsse_bus_random_id(id) < 0)
        return -1;
    gql_buf_printf(json, "{\"id\":\"%s\",\"op\":\"%s\"", id, op);
    return 0;
}

static void put_json(gql_buf *json, const char *name, json_object *v)
{
    gql_buf_printf(json, ",\"%s\":", name);
    gqlsse_bus_json_write(json, v);
}

int gqlsse_ctl_encode_start(gql_buf *json, const char *operation_id, size_t operation_id_len,
                            const char *query, const char *operation_name,
                            json_object *variables, json_object *extensions,
                            const char *identity, json_object *params)
{
    if (!operation_id || !query || !identity ||
        (params && !json_object_is_type(params, json_type_object)) || open_msg(json, "start") < 0)
        return -1;
    gql_buf_puts(json, ",\"operationId\":");
    gql_buf_json_string(json, operation_id, operation_id_len);
    gql_buf_puts(json, ",\"query\":");
    gql_buf_json_string(json, query, strlen(query));
    gql_buf_puts(json, ",\"operationName\":");
    if (operation_name)
        gql_buf_json_string(json, operation_name, strlen(operation_name));
    else
        gql_buf_puts(json, "null");
    put_json(json, "variables", variables);
    put_json(json, "extensions", extensions);
    gql_buf_puts(json, ",\"identity\":");
    gql_buf_json_string(json, identity, strlen(identity));
    put_json(json, "params", params);
    gql_buf_putc(json, '}');
    return json->oom ? -1 : 0;
}

int gqlsse_ctl_encode_stop(gql_buf *json, const char *operation_id, size_t operation_id_len)
{
    if (!operation_id || open_msg(json, "stop") < 0)
        return -1;
    gql_buf_puts(json, ",\"operationId\":");
    gql_buf_json_string(json, operation_id, operation_id_len);
    gql_buf_putc(json, '}');
    return json->oom ? -1 : 0;
}

int gqlsse_ctl_encode_replace(gql_buf *json)
{
    if (open_msg(json, "replace") < 0)
        return -1;
    gql_buf_putc(json, '}');
    return json->oom ? -1 : 0;
}

/* A member that is a string: its bytes and length; NULL when absent or not a string. */
static const char *member_str(json_object *o, const char *name, size_t *len)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    if (len)
        *len = (size_t)json_object_get_string_len(v);
    return json_object_get_string(v);
}

/* A member that is an object, or absent/null (*out NULL); -1 otherwise. */
static int member_obj(json_object *o, const char *name, json_object **out)
{
    json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(o, name, &v) || !v)
        return 0;
    if (!json_object_is_type(v, json_type_object))
        return -1;
    *out = v;
    return 0;
}

int gqlsse_ctl_decode(const void *topic, size_t topic_len, const void *json, size_t json_len,
                      gqlsse_ctl_msg *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    size_t pl = sizeof GQLSSE_CTL_STREAM_PREFIX - 1;
    const char *t = topic;
    if (topic_len != pl + GQLSSE_CTL_TOKEN_LEN + 1 || memcmp(t, GQLSSE_CTL_STREAM_PREFIX, pl) != 0 ||
        !token_ok(t + pl, GQLSSE_CTL_TOKEN_LEN) || t[topic_len - 1] != '/') {
        snprintf(why, whylen, "topic is not ctl/stream/TOKEN/");
        return -1;
    }
    char jerr[128];
    json_object *root = gqlsse_bus_json_parse(json, json_len, NULL, jerr, sizeof jerr);
    if (!root) {
        snprintf(why, whylen, "%s", jerr);
        return -1;
    }
    const char *op = member_str(root, "op", NULL);
    if (!json_object_is_type(root, json_type_object) || !op) {
        snprintf(why, whylen, "not an object with \"op\"");
        goto bad;
    }
    if (!strcmp(op, "replace"))
        out->op = GQLSSE_CTL_REPLACE;
    else if (!strcmp(op, "stop"))
        out->op = GQLSSE_CTL_STOP;
    else if (!strcmp(op, "start"))
        out->op = GQLSSE_CTL_START;
    else {
        snprintf(why, whylen, "unknown \"op\"");
        goto bad;
    }
    if (out->op != GQLSSE_CTL_REPLACE &&
        !(out->operation_id = member_str(root, "operationId", &out->operation_id_len))) {
        snprintf(why, whylen, "\"operationId\" missing or not a string");
        goto bad;
    }
    if (out->op == GQLSSE_CTL_START) {
        json_object *on;
        out->query = member_str(root, "query", NULL);
        out->identity = member_str(root, "identity", NULL);
        if (!out->query || !out->identity) {
            snprintf(why, whylen, "\"query\" or \"identity\" missing or not a string");
            goto bad;
        }
        if (json_object_object_get_ex(root, "operationName", &on) && on) {
            if (!json_object_is_type(on, json_type_string)) {
                snprintf(why, whylen, "\"operationName\" not a string");
                goto bad;
            }
            out->operation_name = json_object_get_string(on);
        }
        if (member_obj(root, "variables", &out->variables) < 0 ||
            member_obj(root, "extensions", &out->extensions) < 0 ||
            member_obj(root, "params", &out->params) < 0) {
            snprintf(why, whylen, "\"variables\", \"extensions\" or \"params\" not an object");
            goto bad;
        }
    }
    memcpy(out->token, t + pl, GQLSSE_CTL_TOKEN_LEN);
    out->token[GQLSSE_CTL_TOKEN_LEN] = '\0';
    out->root = root;
    return 0;
bad:
    json_object_put(root);
    memset(out, 0, sizeof *out);
    return -1;
}

void gqlsse_ctl_msg_clear(gqlsse_ctl_msg *m)
{
    if (!m)
        return;
    json_object_put(m->root);
    memset(m, 0, sizeof *m);
}

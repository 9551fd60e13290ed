/* fuzz_ws.c: libFuzzer target for what gqlsse-ws reads from a client before
 * and after the upgrade: the HTTP/1.1 upgrade request head
 * (src/ws/handshake.c) and graphql-transport-ws messages
 * (src/ws/protocol.c). (WebSocket frames are decoded by wslay.)
 *
 * Input: the first byte picks the decoder: even, a message (the rest is
 * the text frame); odd, a handshake (the rest is the bytes read from the
 * socket). Checked: the head ends with the blank line inside the limit;
 * the parsed head has a method, a target and at most 64 headers whose
 * names are tokens; the upgrade check answers 0 or a known status with a
 * reason; the Forwarded parameter fits its buffer; a message is either
 * refused with a reason and nothing to free, or has the fields of its type.
 *
 *   make fuzz FUZZ_TARGET=ws && ./fuzz/fuzz_ws CRASH-FILE
 */
#define FUZZ_NAME "fuzz_ws"
#include "fuzz_check.h"

#include "ws/handshake.h"
#include "ws/protocol.h"

#include <ctype.h>
#include <string.h>

static void check_message(const char *text, size_t len)
{
    gqlsse_ws_msg m;
    const char *why = NULL;
    if (gqlsse_ws_msg_parse(text, len, &m, &why) < 0) {
        CHECK(why && *why, "a refused message without a reason");
        CHECK(!m.root && !m.id && !m.payload && !m.query, "a refused message holds something");
        return;
    }
    CHECK(m.root && json_object_is_type(m.root, json_type_object), "no root object");
    CHECK(m.type >= GQLSSE_WS_MSG_CONNECTION_INIT && m.type <= GQLSSE_WS_MSG_COMPLETE,
          "type out of range");
    switch (m.type) {
    case GQLSSE_WS_MSG_SUBSCRIBE:
        CHECK(m.query, "subscribe without a query");
        CHECK(!m.variables || json_object_is_type(m.variables, json_type_object),
              "variables not an object");
        CHECK(m.payload && json_object_is_type(m.payload, json_type_object),
              "subscribe payload not an object");
        /* fall through */
    case GQLSSE_WS_MSG_NEXT:
    case GQLSSE_WS_MSG_ERROR:
    case GQLSSE_WS_MSG_COMPLETE:
        CHECK(m.id && m.id_len > 0, "no id");
        break;
    default:
        CHECK(!m.payload || json_object_is_type(m.payload, json_type_object),
              "payload not an object");
        break;
    }
    gqlsse_ws_msg_clear(&m);
}

static void check_forwarded(const char *value)
{
    char out[256], small[8];
    if (gqlsse_ws_forwarded_param(value, "remote_user", out, sizeof out) == 0)
        CHECK(out[0] && strlen(out) < sizeof out, "Forwarded value empty or too long");
    if (gqlsse_ws_forwarded_param(value, "for", small, sizeof small) == 0)
        CHECK(small[0] && strlen(small) < sizeof small, "Forwarded value too long");
}

static void check_handshake(const char *bytes, size_t len)
{
    long hl = gqlsse_ws_head_length(bytes, len);
    if (hl <= 0) {
        CHECK(hl == 0 || len >= GQLSSE_WS_MAX_HEAD, "head refused below the limit");
        CHECK(hl == -1 || len < GQLSSE_WS_MAX_HEAD, "more asked for past the limit");
        return;
    }
    CHECK((size_t)hl >= 4 && (size_t)hl <= len && hl <= GQLSSE_WS_MAX_HEAD,
          "head length out of range");
    CHECK(memcmp(bytes + hl - 4, "\r\n\r\n", 4) == 0, "head does not end with a blank line");
    CHECK(!memmem(bytes, (size_t)hl - 2, "\r\n\r\n", 4), "not the first blank line");
    /* An exact-size copy, as sock_open makes: ASan catches reads past it. */
    char *head = malloc((size_t)hl);
    CHECK(head, "out of memory");
    memcpy(head, bytes, (size_t)hl);
    gqlsse_ws_request rq;
    if (gqlsse_ws_request_parse(head, (size_t)hl, &rq) == 0) {
        CHECK(rq.method && rq.target, "no method or target");
        CHECK(!strpbrk(rq.method, "\r\n") && !strpbrk(rq.target, "\r\n"),
              "request line holds a line break");
        CHECK(rq.nheaders <= GQLSSE_WS_MAX_HEADERS, "too many headers");
        for (size_t i = 0; i < rq.nheaders; i++) {
            const char *n = rq.headers[i].name, *v = rq.headers[i].value;
            CHECK(n && v && *n, "empty header name");
            CHECK(n >= head && n < head + hl && v >= head && v < head + hl,
                  "header outside the head");
            for (const char *c = n; *c; c++)
                CHECK(isgraph((unsigned char)*c) && *c != ':', "header name not a token");
            CHECK(!strchr(v, '\r') && !strchr(v, '\n'), "header value holds a line break");
            check_forwarded(v);
        }
        const char *why = NULL;
        int status = gqlsse_ws_request_check(&rq, "/graphql", &why);
        CHECK(status == 0 || status == 400 || status == 404 || status == 405 || status == 426,
              "unexpected status");
        CHECK(status == 0 || (why && *why), "a refusal without a reason");
        if (status == 0) {
            char key[29];
            gqlsse_ws_accept_key(gqlsse_ws_request_header(&rq, "Sec-WebSocket-Key"), key);
            CHECK(strlen(key) == 28 && key[27] == '=', "accept key malformed");
        }
        int offers = gqlsse_ws_offers_protocol(&rq);
        CHECK(offers == 0 || offers == 1, "offers_protocol not 0 or 1");
    }
    free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input = data;
    fuzz_input_size = size;
    if (size == 0)
        return 0;
    if (data[0] & 1)
        check_handshake((const char *)data + 1, size - 1);
    else
        check_message((const char *)data + 1, size - 1);
    return 0;
}

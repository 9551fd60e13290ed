/* test_ws.c: gqlsse-ws's pure parts: the upgrade request (RFC 6455), the
 * Forwarded header, graphql-transport-ws message validation (graphql-ws's
 * validateMessage rules). */
#include "config.h"

#include "ws/handshake.h"
#include "ws/protocol.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void test_accept_key(void **state)
{
    (void)state;
    char out[29];
    gqlsse_ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", out); /* RFC 6455 section 1.3 */
    assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static const char good[] = "GET /graphql?x=1 HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket\r\n"
                           "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Protocol: foo,  graphql-transport-ws\r\n\r\nrest";

static void test_request(void **state)
{
    (void)state;
    char buf[sizeof good];
    memcpy(buf, good, sizeof good);
    long hl = gqlsse_ws_head_length(buf, sizeof good - 1);
    assert_int_equal(hl, (long)(sizeof good - 1 - 4));
    assert_int_equal(gqlsse_ws_head_length(buf, 20), 0);
    gqlsse_ws_request rq;
    assert_int_equal(gqlsse_ws_request_parse(buf, (size_t)hl, &rq), 0);
    assert_string_equal(rq.method, "GET");
    assert_string_equal(rq.target, "/graphql?x=1");
    assert_string_equal(gqlsse_ws_request_header(&rq, "host"), "a");
    const char *why;
    assert_int_equal(gqlsse_ws_request_check(&rq, "/graphql", &why), 0);
    assert_int_equal(gqlsse_ws_request_check(&rq, "/graph", &why), 404);
    assert_int_equal(gqlsse_ws_offers_protocol(&rq), 1);
}

static void test_request_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "GET /graphql HTTP/1.0\r\n\r\n",
        "GET /graphql\r\n\r\n",
        "GET /graphql HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET /graphql HTTP/1.1\r\n folded: x\r\n\r\n",
        "GET /graphql HTTP/1.1\r\nBad Name: x\r\n\r\n",
        /* bare CR or LF (found by fuzz_ws): kept inside a value before */
        "GET /graphql HTTP/1.1\r\nUpgrade: websocket\r\r\n\r\n",
        "GET /graphql HTTP/1.1\r\nX-User: a\rb\r\n\r\n",
        "GET /graphql HTTP/1.1\r\nX-User: a\nb\r\n\r\n",
        "GET /gra\rphql HTTP/1.1\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", bad[i]);
        gqlsse_ws_request rq;
        assert_int_equal(gqlsse_ws_request_parse(buf, strlen(buf), &rq), -1);
    }
    char buf[256];
    snprintf(buf, sizeof buf, "POST /graphql HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
    gqlsse_ws_request rq;
    const char *why;
    assert_int_equal(gqlsse_ws_request_parse(buf, strlen(buf), &rq), 0);
    assert_int_equal(gqlsse_ws_request_check(&rq, "/graphql", &why), 405);
    snprintf(buf, sizeof buf,
             "GET /graphql HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n");
    assert_int_equal(gqlsse_ws_request_parse(buf, strlen(buf), &rq), 0);
    assert_int_equal(gqlsse_ws_request_check(&rq, "/graphql", &why), 400);
    assert_int_equal(gqlsse_ws_offers_protocol(&rq), 0);
    /* no end of head within the limit */
    static char big[GQLSSE_WS_MAX_HEAD + 10];
    memset(big, 'a', sizeof big);
    assert_int_equal(gqlsse_ws_head_length(big, sizeof big), -1);
}

static void test_tokens(void **state)
{
    (void)state;
    assert_true(gqlsse_ws_has_token("a, graphql-transport-ws ,b", "graphql-transport-ws", 1));
    assert_false(gqlsse_ws_has_token("GRAPHQL-TRANSPORT-WS", "graphql-transport-ws", 1));
    assert_true(gqlsse_ws_has_token("Keep-Alive, UPGRADE", "upgrade", 0));
    assert_false(gqlsse_ws_has_token("upgrades", "upgrade", 0));
    assert_false(gqlsse_ws_has_token("", "upgrade", 0));
}

static void test_forwarded(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(gqlsse_ws_forwarded_param("for=127.0.0.1;proto=http;remote_user=\"alice\"",
                                               "remote_user", out, sizeof out), 0);
    assert_string_equal(out, "alice");
    /* the last element counts: what the nearest proxy appended */
    assert_int_equal(gqlsse_ws_forwarded_param("for=1.2.3.4;remote_user=\"mallory\", for=127.0.0.1;"
                                               "remote_user=\"a\\\"b,c\"",
                                               "remote_user", out, sizeof out), 0);
    assert_string_equal(out, "a\"b,c");
    assert_int_equal(gqlsse_ws_forwarded_param("for=1.2.3.4;remote_user=mallory, for=127.0.0.1",
                                               "remote_user", out, sizeof out), -1);
    assert_int_equal(gqlsse_ws_forwarded_param("remote_user=\"unterminated", "remote_user", out,
                                               sizeof out), -1);
    assert_int_equal(gqlsse_ws_forwarded_param("remote_user=toolongforthebuffer", "remote_user",
                                               out, 8), -1);
}

static int parses(const char *text)
{
    gqlsse_ws_msg m;
    const char *why;
    int rc = gqlsse_ws_msg_parse(text, strlen(text), &m, &why);
    if (rc == 0)
        gqlsse_ws_msg_clear(&m);
    return rc;
}

static void test_messages(void **state)
{
    (void)state;
    static const char *const valid[] = {
        "{\"type\":\"connection_init\"}",
        "{\"type\":\"connection_init\",\"payload\":null}",
        "{\"type\":\"connection_init\",\"payload\":{\"a\":1}}",
        "{\"type\":\"ping\",\"payload\":{}}",
        "{\"type\":\"pong\"}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{a}\"}}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"\",\"variables\":null,"
        "\"operationName\":null,\"extensions\":{}}}",
        "{\"id\":\"1\",\"type\":\"next\",\"payload\":{}}",
        "{\"id\":\"1\",\"type\":\"error\",\"payload\":[{\"message\":\"x\"}]}",
        "{\"id\":\"x\",\"type\":\"complete\"}",
        "  {\"type\":\"pong\"}  ",
    };
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        if (parses(valid[i]) != 0)
            fail_msg("refused: %s", valid[i]);
    }
    static const char *const invalid[] = {
        "", "nope", "[]", "null", "\"x\"", "{}", "{\"type\":\"\"}", "{\"type\":0}",
        "{\"type\":true}", "{\"type\":\"start\"}", "{\"type\":\"ping\",\"payload\":[]}",
        "{\"type\":\"connection_init\",\"payload\":1}",
        "{\"type\":\"subscribe\",\"payload\":{\"query\":\"q\"}}",
        "{\"id\":\"\",\"type\":\"subscribe\",\"payload\":{\"query\":\"q\"}}",
        "{\"id\":1,\"type\":\"subscribe\",\"payload\":{\"query\":\"q\"}}",
        "{\"id\":\"1\",\"type\":\"subscribe\"}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{}}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":1}}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"q\",\"variables\":[]}}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"q\",\"operationName\":1}}",
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"q\",\"extensions\":\"e\"}}",
        "{\"id\":\"1\",\"type\":\"next\"}",
        "{\"id\":\"1\",\"type\":\"error\",\"payload\":[]}",
        "{\"id\":\"1\",\"type\":\"error\",\"payload\":[{}]}",
        "{\"type\":\"complete\"}",
        "{\"type\":\"pong\"} x",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        if (parses(invalid[i]) != -1)
            fail_msg("accepted: %s", invalid[i]);
    }
    gqlsse_ws_msg m;
    const char *why;
    const char *sub = "{\"id\":\"a\\u0000b\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{a}\","
                      "\"variables\":{\"v\":1},\"operationName\":\"Op\"}}";
    assert_int_equal(gqlsse_ws_msg_parse(sub, strlen(sub), &m, &why), 0);
    assert_int_equal(m.type, GQLSSE_WS_MSG_SUBSCRIBE);
    assert_int_equal(m.id_len, 3);
    assert_memory_equal(m.id, "a\0b", 3);
    assert_string_equal(m.query, "{a}");
    assert_int_equal(m.query_len, 3);
    assert_string_equal(m.operation_name, "Op");
    assert_int_equal(m.operation_name_len, 2);
    assert_non_null(m.variables);
    gqlsse_ws_msg_clear(&m);
    /* NULs inside the query and operationName are counted, not cut */
    const char *nul = "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{a}\\u0000\","
                      "\"operationName\":\"O\\u0000p\"}}";
    assert_int_equal(gqlsse_ws_msg_parse(nul, strlen(nul), &m, &why), 0);
    assert_int_equal(m.query_len, 4);
    assert_int_equal(m.operation_name_len, 3);
    gqlsse_ws_msg_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_key), cmocka_unit_test(test_request),
        cmocka_unit_test(test_request_bad), cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_forwarded), cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

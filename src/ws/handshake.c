/* handshake.c: the WebSocket upgrade request, read in place. */
#include "config.h"

#include "ws/handshake.h"

#include <nettle/base64.h>
#include <nettle/sha1.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

long gqlsse_ws_head_length(const char *buf, size_t len)
{
    size_t lim = len < GQLSSE_WS_MAX_HEAD ? len : GQLSSE_WS_MAX_HEAD;
    for (size_t i = 0; i + 3 < lim; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n')
            return (long)(i + 4);
    }
    return len >= GQLSSE_WS_MAX_HEAD ? -1 : 0;
}

static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *end = '\0';
    return s;
}

int gqlsse_ws_request_parse(char *head, size_t len, gqlsse_ws_request *rq)
{
    memset(rq, 0, sizeof *rq);
    if (len < 4 || memchr(head, '\0', len))
        return -1;
    /* Lines end in CRLF; a bare CR or LF (fuzz_ws: "Upgrade: x\r\r\n")
     * would be kept inside a value. RFC 9110 5.5: reject. */
    for (size_t i = 0; i < len; i++)
        if ((head[i] == '\r' && (i + 1 == len || head[i + 1] != '\n')) ||
            (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')))
            return -1;
    char *end = head + len - 2; /* the final CRLF of the blank line */
    char *line = head;
    /* memmem, not strstr: the head is not NUL-terminated (fuzz_ws: strstr
     * read past the buffer to find the string's end) */
    char *eol = memmem(line, len, "\r\n", 2);
    if (!eol || eol >= end)
        return -1;
    *eol = '\0';
    char *sp1 = strchr(line, ' ');
    char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || strcmp(sp2 + 1, "HTTP/1.1") != 0)
        return -1;
    *sp1 = '\0';
    *sp2 = '\0';
    rq->method = line;
    rq->target = sp1 + 1;
    for (line = eol + 2; line < end; line = eol + 2) {
        eol = memmem(line, (size_t)(head + len - line), "\r\n", 2);
        if (!eol || eol > end)
            return -1;
        if (eol == line)
            break;
        char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon || colon == line || line[0] == ' ' || line[0] == '\t')
            return -1; /* no name, or obsolete line folding */
        for (char *p = line; p < colon; p++)
            if (!isgraph((unsigned char)*p))
                return -1;
        if (rq->nheaders == GQLSSE_WS_MAX_HEADERS)
            return -1;
        *colon = '\0';
        rq->headers[rq->nheaders].name = line;
        rq->headers[rq->nheaders].value = trim(colon + 1, eol);
        rq->nheaders++;
    }
    return 0;
}

const char *gqlsse_ws_request_header(const gqlsse_ws_request *rq, const char *name)
{
    for (size_t i = 0; i < rq->nheaders; i++)
        if (!strcasecmp(rq->headers[i].name, name))
            return rq->headers[i].value;
    return NULL;
}

int gqlsse_ws_has_token(const char *value, const char *token, int exact)
{
    size_t tl = strlen(token);
    const char *p = value;
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if ((size_t)(t - p) == tl && !(exact ? strncmp(p, token, tl) : strncasecmp(p, token, tl)))
            return 1;
        p = e;
    }
    return 0;
}

int gqlsse_ws_request_check(const gqlsse_ws_request *rq, const char *endpoint, const char **why)
{
    if (strcmp(rq->method, "GET") != 0) {
        *why = "Method not allowed";
        return 405;
    }
    size_t el = strlen(endpoint);
    if (strncmp(rq->target, endpoint, el) != 0 ||
        (rq->target[el] != '\0' && rq->target[el] != '?')) {
        *why = "Not found";
        return 404;
    }
    const char *up = gqlsse_ws_request_header(rq, "Upgrade");
    const char *conn = gqlsse_ws_request_header(rq, "Connection");
    if (!up || !gqlsse_ws_has_token(up, "websocket", 0) || !conn ||
        !gqlsse_ws_has_token(conn, "upgrade", 0)) {
        *why = "Expected a WebSocket upgrade request";
        return 400;
    }
    const char *ver = gqlsse_ws_request_header(rq, "Sec-WebSocket-Version");
    if (!ver || strcmp(ver, "13") != 0) {
        *why = "Unsupported WebSocket version";
        return 426;
    }
    const char *key = gqlsse_ws_request_header(rq, "Sec-WebSocket-Key");
    /* 16 random bytes in base64: 24 characters ending in "==". */
    if (!key || strlen(key) != 24 || key[22] != '=' || key[23] != '=') {
        *why = "Invalid Sec-WebSocket-Key";
        return 400;
    }
    return 0;
}

void gqlsse_ws_accept_key(const char *key, char out[29])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    struct sha1_ctx ctx;
    uint8_t digest[SHA1_DIGEST_SIZE];
    sha1_init(&ctx);
    sha1_update(&ctx, strlen(key), (const uint8_t *)key);
    sha1_update(&ctx, sizeof guid - 1, (const uint8_t *)guid);
    sha1_digest(&ctx, sizeof digest, digest);
    base64_encode_raw(out, sizeof digest, digest);
    out[28] = '\0';
}

int gqlsse_ws_offers_protocol(const gqlsse_ws_request *rq)
{
    /* Several Sec-WebSocket-Protocol headers may be sent: any one counts. */
    for (size_t i = 0; i < rq->nheaders; i++)
        if (!strcasecmp(rq->headers[i].name, "Sec-WebSocket-Protocol") &&
            gqlsse_ws_has_token(rq->headers[i].value, GQLSSE_WS_PROTOCOL, 1))
            return 1;
    return 0;
}

int gqlsse_ws_forwarded_param(const char *value, const char *param, char *out, size_t outlen)
{
    /* The last element: what the nearest (trusted) proxy appended. Commas
     * inside quoted strings do not separate elements. */
    const char *elem = value;
    int quoted = 0;
    for (const char *p = value; *p; p++) {
        if (quoted && *p == '\\' && p[1])
            p++;
        else if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ',')
            elem = p + 1;
    }
    size_t pl = strlen(param);
    const char *p = elem;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *name = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        if (*p != '=')
            return -1;
        int match = (size_t)(p - name) == pl && !strncasecmp(name, param, pl);
        p++;
        size_t n = 0;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                if (match && n + 1 < outlen)
                    out[n] = *p;
                n++;
            }
            if (*p != '"')
                return -1;
            p++;
        } else {
            for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {
                if (match && n + 1 < outlen)
                    out[n] = *p;
                n++;
            }
        }
        if (match) {
            if (n + 1 > outlen || n == 0)
                return -1;
            out[n] = '\0';
            return 0;
        }
    }
    return -1;
}

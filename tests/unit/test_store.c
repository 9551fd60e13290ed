/* test_store.c: single connection mode's memcached state (src/http/store.c)
 * against a real memcached that the test starts on a free loopback port;
 * skipped (exit 77) only when the memcached binary is missing. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http/conf.h"
#include "http/store.h"

static pid_t mc_pid = -1;
static int mc_port;
static char servers[64];

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

static int can_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const char *memcached_binary(void)
{
    static const char *candidates[] = {"/usr/bin/memcached", "/usr/local/bin/memcached",
                                       "/usr/sbin/memcached"};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++)
        if (access(candidates[i], X_OK) == 0)
            return candidates[i];
    return NULL;
}

/* Starts memcached on mc_port; returns 0 once it accepts connections. */
static int mc_start(void)
{
    const char *bin = memcached_binary();
    char port[16];
    snprintf(port, sizeof port, "%d", mc_port);
    mc_pid = fork();
    if (mc_pid < 0)
        return -1;
    if (mc_pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a crashed test */
        /* -u: memcached refuses to run as root without it (CI runs as root). */
        execl(bin, bin, "-l", "127.0.0.1", "-p", port, "-U", "0", "-m", "16", "-u", "nobody",
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        if (can_connect(mc_port))
            return 0;
        sleep_ms(10);
    }
    return -1;
}

static void mc_stop(void)
{
    if (mc_pid > 0) {
        kill(mc_pid, SIGTERM);
        waitpid(mc_pid, NULL, 0);
        mc_pid = -1;
    }
}

static gqlsse_store *new_store(const char *srv)
{
    char err[256] = "";
    gqlsse_store_options o = {.servers = srv, .prefix = "t:", .session_prefix = "sess:",
                              .lock_ttl = 2, .timeout_ms = 200};
    gqlsse_store *st = gqlsse_store_new(&o, err, sizeof err);
    if (!st)
        fail_msg("gqlsse_store_new: %s", err);
    return st;
}

/* Stores a session value with a raw text-protocol `set`. */
static void raw_set(const char *key, const char *value)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)mc_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char cmd[1024];
    int n = snprintf(cmd, sizeof cmd, "set %s 0 0 %zu\r\n%s\r\n", key, strlen(value), value);
    assert_int_equal(write(fd, cmd, (size_t)n), n);
    char reply[64] = "";
    ssize_t r = read(fd, reply, sizeof reply - 1);
    assert_true(r > 0);
    assert_memory_equal(reply, "STORED", 6);
    close(fd);
}

static void test_tokens(void **state)
{
    (void)state;
    char a[GQLSSE_TOKEN_LEN + 1], b[GQLSSE_TOKEN_LEN + 1];
    assert_int_equal(gqlsse_token_new(a), 0);
    assert_int_equal(gqlsse_token_new(b), 0);
    assert_int_equal(strlen(a), 32);
    assert_true(gqlsse_token_ok(a, strlen(a)));
    assert_string_not_equal(a, b);
    assert_false(gqlsse_token_ok("0123456789ABCDEF0123456789abcdef", 32));
    assert_false(gqlsse_token_ok("0123456789abcdef", 16));
    assert_false(gqlsse_token_ok("0123456789abcdef0123456789abcdeg", 32));
    assert_false(gqlsse_token_ok(NULL, 0));
}

static void test_cookies(void **state)
{
    (void)state;
    const char *v;
    size_t n;
    assert_true(gqlsse_cookie_find("a=1; sid=abc; b=2", "sid", &v, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(v, "abc", 3);
    assert_true(gqlsse_cookie_find("sid=\"q v\"", "sid", &v, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(v, "q v", 3);
    assert_true(gqlsse_cookie_find("xsid=1;sid = x ", "sid", &v, &n));
    assert_int_equal(n, 1);
    assert_false(gqlsse_cookie_find("xsid=1; sidx=2", "sid", &v, &n));
    assert_false(gqlsse_cookie_find(";;; =; sid; ==", "sid", &v, &n));
    assert_false(gqlsse_cookie_find(NULL, "sid", &v, &n));
    assert_false(gqlsse_cookie_find("sid=1", "", &v, &n));
    assert_true(gqlsse_cookie_find("sid=", "sid", &v, &n));
    assert_int_equal(n, 0);
}

static void test_bad_options(void **state)
{
    (void)state;
    char err[256];
    static const char *bad_servers[] = {"", ",", "a,", ":11211", "h:0", "h:65536", "h:1x",
                                        "h:", "a b:1"};
    for (size_t i = 0; i < sizeof bad_servers / sizeof *bad_servers; i++) {
        gqlsse_store_options o = {.servers = bad_servers[i]};
        err[0] = '\0';
        assert_null(gqlsse_store_new(&o, err, sizeof err));
        assert_non_null(strstr(err, "server list"));
    }
    gqlsse_store_options ok = {.servers = "localhost,127.0.0.1:11212"};
    gqlsse_store *st = gqlsse_store_new(&ok, err, sizeof err);
    assert_non_null(st);
    gqlsse_store_free(st);
    gqlsse_store_options p = {.prefix = "has space"};
    assert_null(gqlsse_store_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "memcached_prefix"));
}

/* Writes `text` to a temporary configuration file and loads it. */
static int load_conf(gqlsse_conf *c, const char *text, char *err, size_t errlen)
{
    char path[] = "/tmp/gqlsse-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    gqlsse_conf_defaults(c);
    int rc = gqlsse_conf_load(c, path, err, errlen);
    unlink(path);
    return rc;
}

static void test_conf_keys(void **state)
{
    (void)state;
    gqlsse_conf c;
    char err[512];
    gqlsse_conf_defaults(&c);
    assert_string_equal(c.memcached, "127.0.0.1:11211");
    assert_string_equal(c.memcached_prefix, "gqlsse:");
    assert_string_equal(c.session_key_prefix, "session:");
    assert_string_equal(c.broker_publish, "tcp://127.0.0.1:5561");
    assert_null(c.session_cookie);
    assert_int_equal(c.lock_ttl_s, 30);
    assert_int_equal(c.operation_wait_ms, 30000);
    assert_int_equal(c.single_connection, 1);
    gqlsse_conf_free(&c);
    assert_int_equal(load_conf(&c,
                               "schema = s.graphql\n"
                               "memcached = 10.0.0.1:11211,10.0.0.2:11212\n"
                               "memcached_prefix = app1:\n"
                               "session_cookie = sessionid\n"
                               "session_key_prefix = :1:django.contrib.sessions.cache\n"
                               "single_connection_lock_ttl = 10\n"
                               "operation_wait_timeout = 2.5\n"
                               "single_connection = off\n"
                               "broker_publish = ipc:///run/gqlsse/publish\n",
                               err, sizeof err),
                     0);
    assert_string_equal(c.memcached, "10.0.0.1:11211,10.0.0.2:11212");
    assert_string_equal(c.memcached_prefix, "app1:");
    assert_string_equal(c.session_cookie, "sessionid");
    assert_string_equal(c.session_key_prefix, ":1:django.contrib.sessions.cache");
    assert_int_equal(c.lock_ttl_s, 10);
    assert_int_equal(c.operation_wait_ms, 2500);
    assert_int_equal(c.single_connection, 0);
    assert_string_equal(c.broker_publish, "ipc:///run/gqlsse/publish");
    assert_int_equal(gqlsse_conf_check(&c, err, sizeof err), 0);
    gqlsse_conf_free(&c);
    static const char *bad[] = {
        "memcached_prefix = has space\n",   "session_cookie = a;b\n",
        "session_cookie = \n",              "single_connection_lock_ttl = 1\n",
        "single_connection_lock_ttl = x\n", "operation_wait_timeout = -1\n",
        "broker_publish = 127.0.0.1:5561\n", "memcached = \n",
        "single_connection = maybe\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        assert_int_equal(load_conf(&c, bad[i], err, sizeof err), -1);
        assert_non_null(strstr(err, "invalid value"));
        gqlsse_conf_free(&c);
    }
    /* a server list that does not parse is caught by the check */
    assert_int_equal(load_conf(&c, "schema = s.graphql\nmemcached = ,,,\n", err, sizeof err), 0);
    assert_int_equal(gqlsse_conf_check(&c, err, sizeof err), -1);
    assert_non_null(strstr(err, "memcached"));
    gqlsse_conf_free(&c);
}

static void test_reserve_replace_check(void **state)
{
    (void)state;
    gqlsse_store *st = new_store(servers);
    char t1[33], t2[33], old[33];
    assert_int_equal(gqlsse_store_reserve(st, "alice", t1, old), GQLSSE_STORE_OK);
    assert_string_equal(old, "");
    assert_true(gqlsse_token_ok(t1, strlen(t1)));
    assert_int_equal(gqlsse_store_check(st, "alice", t1), GQLSSE_STORE_OK);
    /* another identity's token is not found */
    assert_int_equal(gqlsse_store_check(st, "bob", t1), GQLSSE_STORE_NOTFOUND);
    /* re-reservation replaces and reports the old token */
    assert_int_equal(gqlsse_store_reserve(st, "alice", t2, old), GQLSSE_STORE_OK);
    assert_string_equal(old, t1);
    assert_string_not_equal(t1, t2);
    assert_int_equal(gqlsse_store_check(st, "alice", t1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_check(st, "alice", t2), GQLSSE_STORE_OK);
    /* unreserve with a stale token leaves the new one alone */
    assert_int_equal(gqlsse_store_unreserve(st, "alice", t1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_check(st, "alice", t2), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_unreserve(st, "alice", t2), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_check(st, "alice", t2), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_reserve(st, "alice", t1, old), GQLSSE_STORE_OK);
    assert_string_equal(old, "");
    /* identities with any bytes are keys once encoded; garbage tokens are not found */
    assert_int_equal(gqlsse_store_reserve(st, "carol smith\n\x01%", t1, old), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_check(st, "carol smith\n\x01%", t1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_check(st, "carol smith", t1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_check(st, "alice", "../../etc"), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_check(st, "alice", NULL), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_reserve(st, "", t1, old), GQLSSE_STORE_EINVAL);
    char big[GQLSSE_IDENTITY_MAX + 2];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(gqlsse_store_reserve(st, big, t1, old), GQLSSE_STORE_EINVAL);
    gqlsse_store_free(st);
}

static void test_lock(void **state)
{
    (void)state;
    gqlsse_store *st = new_store(servers);
    char t[33];
    assert_int_equal(gqlsse_token_new(t), 0);
    assert_int_equal(gqlsse_store_lock_held(st, t), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_lock_touch(st, t), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_lock(st, t), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_lock(st, t), GQLSSE_STORE_EXISTS);
    assert_int_equal(gqlsse_store_lock_held(st, t), GQLSSE_STORE_OK);
    /* touching keeps it past its TTL (2 s) ... */
    for (int i = 0; i < 3; i++) {
        sleep_ms(1000);
        assert_int_equal(gqlsse_store_lock_touch(st, t), GQLSSE_STORE_OK);
    }
    assert_int_equal(gqlsse_store_lock(st, t), GQLSSE_STORE_EXISTS);
    /* ... and without touches it expires by itself (a killed holder) */
    sleep_ms(3100);
    assert_int_equal(gqlsse_store_lock_held(st, t), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_lock(st, t), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_unlock(st, t), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_unlock(st, t), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_lock(st, t), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_unlock(st, t), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_lock(st, "not-a-token"), GQLSSE_STORE_EINVAL);
    assert_int_equal(gqlsse_store_lock_ttl(st), 2);
    gqlsse_store_free(st);
}

static void test_operations(void **state)
{
    (void)state;
    gqlsse_store *st = new_store(servers);
    char t[33], u[33];
    assert_int_equal(gqlsse_token_new(t), 0);
    assert_int_equal(gqlsse_token_new(u), 0);
    assert_int_equal(gqlsse_store_op_claim(st, t, "1", 1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_claim(st, t, "1", 1), GQLSSE_STORE_EXISTS);
    assert_int_equal(gqlsse_store_op_claim(st, u, "1", 1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_held(st, t, "1", 1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_held(st, t, "2", 1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_op_release(st, t, "1", 1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_held(st, t, "1", 1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_op_touch(st, t, "1", 1), GQLSSE_STORE_NOTFOUND); /* never creates */
    assert_int_equal(gqlsse_store_op_held(st, t, "1", 1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_op_claim(st, t, "1", 1), GQLSSE_STORE_OK);
    /* a claim lives the lock TTL (2 s) unless touched: one whose release
     * failed does not block its id for long */
    assert_int_equal(gqlsse_store_op_claim(st, u, "k", 1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_claim(st, u, "e", 1), GQLSSE_STORE_OK);
    for (int i = 0; i < 3; i++) {
        sleep_ms(1000);
        assert_int_equal(gqlsse_store_op_touch(st, u, "k", 1), GQLSSE_STORE_OK);
    }
    assert_int_equal(gqlsse_store_op_held(st, u, "e", 1), GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_op_claim(st, u, "e", 1), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_claim(st, u, "k", 1), GQLSSE_STORE_EXISTS);
    /* ids with spaces, NULs and non-ASCII bytes are distinct keys */
    assert_int_equal(gqlsse_store_op_claim(st, t, "a b\0c\xc3\xa9", 6), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_claim(st, t, "a b\0c\xc3\xa9", 6), GQLSSE_STORE_EXISTS);
    assert_int_equal(gqlsse_store_op_claim(st, t, "a b", 3), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_claim(st, t, "", 0), GQLSSE_STORE_OK);
    char big[GQLSSE_OPERATION_ID_MAX + 1];
    memset(big, '/', sizeof big);
    assert_int_equal(gqlsse_store_op_claim(st, t, big, sizeof big), GQLSSE_STORE_EINVAL);
    assert_int_equal(gqlsse_store_op_claim(st, t, big, 100), GQLSSE_STORE_EINVAL); /* 300 encoded */
    assert_int_equal(gqlsse_store_op_claim(st, t, big, 50), GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_op_claim(st, "bad", "1", 1), GQLSSE_STORE_EINVAL);
    gqlsse_store_free(st);
}

static void test_sessions(void **state)
{
    (void)state;
    gqlsse_store *st = new_store(servers);
    raw_set("sess:abc123", "  alice \r\nother lines\n");
    raw_set("sess:blank", "\n\nbob");
    char id[GQLSSE_IDENTITY_MAX + 1];
    assert_int_equal(gqlsse_store_session_identity(st, "abc123", 6, id, sizeof id), GQLSSE_STORE_OK);
    assert_string_equal(id, "alice");
    assert_int_equal(gqlsse_store_session_identity(st, "blank", 5, id, sizeof id),
                     GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_session_identity(st, "nosuch", 6, id, sizeof id),
                     GQLSSE_STORE_NOTFOUND);
    assert_int_equal(gqlsse_store_session_identity(st, "a b", 3, id, sizeof id),
                     GQLSSE_STORE_EINVAL);
    assert_int_equal(gqlsse_store_session_identity(st, "a\r\nget x", 8, id, sizeof id),
                     GQLSSE_STORE_EINVAL);
    assert_int_equal(gqlsse_store_session_identity(st, "", 0, id, sizeof id), GQLSSE_STORE_EINVAL);
    char big[300];
    memset(big, 'x', sizeof big);
    assert_int_equal(gqlsse_store_session_identity(st, big, sizeof big, id, sizeof id),
                     GQLSSE_STORE_EINVAL);
    gqlsse_store_free(st);
}

/* memcached stopped: every call answers DOWN quickly with a message; started
 * again: calls succeed again within a few seconds. */
static void test_down_and_back(void **state)
{
    (void)state;
    gqlsse_store *st = new_store(servers);
    char t[33], old[33];
    assert_int_equal(gqlsse_store_reserve(st, "dave", t, old), GQLSSE_STORE_OK);
    mc_stop();
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(gqlsse_store_reserve(st, "dave", t, old), GQLSSE_STORE_DOWN);
    assert_string_equal(t, "");
    assert_true(strlen(gqlsse_store_error(st)) > 0);
    assert_int_equal(gqlsse_store_check(st, "dave", old), GQLSSE_STORE_NOTFOUND); /* "" */
    char t2[33];
    assert_int_equal(gqlsse_token_new(t2), 0);
    assert_int_equal(gqlsse_store_check(st, "dave", t2), GQLSSE_STORE_DOWN);
    assert_int_equal(gqlsse_store_lock(st, t2), GQLSSE_STORE_DOWN);
    assert_int_equal(gqlsse_store_op_claim(st, t2, "1", 1), GQLSSE_STORE_DOWN);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    assert_true(ms < 2000);
    assert_int_equal(mc_start(), 0);
    gqlsse_store_status s = GQLSSE_STORE_DOWN;
    for (int i = 0; i < 50 && s != GQLSSE_STORE_OK; i++) {
        s = gqlsse_store_reserve(st, "dave", t, old);
        if (s != GQLSSE_STORE_OK)
            sleep_ms(100);
    }
    assert_int_equal(s, GQLSSE_STORE_OK);
    assert_int_equal(gqlsse_store_check(st, "dave", t), GQLSSE_STORE_OK);
    gqlsse_store_free(st);
}

static void test_unreachable_server(void **state)
{
    (void)state;
    int port = free_port();
    char srv[64];
    snprintf(srv, sizeof srv, "127.0.0.1:%d", port);
    gqlsse_store *st = new_store(srv);
    char t[33], old[33];
    assert_int_equal(gqlsse_store_reserve(st, "erin", t, old), GQLSSE_STORE_DOWN);
    assert_non_null(strstr(gqlsse_store_error(st), "memcached"));
    gqlsse_store_free(st);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_conf_keys),
    };
    int failed = cmocka_run_group_tests_name("store (no memcached)", pure, NULL, NULL);
    if (!memcached_binary()) {
        fprintf(stderr, "test_store: no memcached binary; skipping the memcached tests\n");
        return failed ? 1 : 77;
    }
    signal(SIGPIPE, SIG_IGN);
    mc_port = free_port();
    snprintf(servers, sizeof servers, "127.0.0.1:%d", mc_port);
    if (mc_port < 0 || mc_start() < 0) {
        mc_stop();
        fprintf(stderr, "test_store: cannot start memcached\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserve_replace_check),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_operations),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_down_and_back),
        cmocka_unit_test(test_unreachable_server),
    };
    failed += cmocka_run_group_tests_name("store (memcached)", tests, NULL, NULL);
    mc_stop();
    return failed ? 1 : 0;
}

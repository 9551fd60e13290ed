/* test_daemon_opts.c: gqlsse-fcgi's and gqlsse-ws's shared command line
 * (src/bin/daemon_opts.c). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bin/daemon_opts.h"

static int usage_calls;
static FILE *usage_to;

static void usage(FILE *f)
{
    usage_calls++;
    usage_to = f;
}

static int parse(gqlsse_daemon_opts *o, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    usage_calls = 0;
    usage_to = NULL;
    return gqlsse_daemon_opts_parse(o, argc, argv, "gqlsse-test", usage);
}

static void test_options(void **state)
{
    (void)state;
    gqlsse_daemon_opts o;
    unsetenv(GQLSSE_CONFIG_ENV);
    assert_int_equal(parse(&o, (char *[]){"prog", NULL}), -1);
    assert_null(o.config);
    assert_null(o.listen);
    assert_int_equal(o.backlog, 1024);

    setenv(GQLSSE_CONFIG_ENV, "/env.conf", 1);
    assert_int_equal(parse(&o, (char *[]){"prog", "--listen", "unix:/x", NULL}), -1);
    assert_string_equal(o.config, "/env.conf");
    assert_string_equal(o.listen, "unix:/x");
    assert_int_equal(parse(&o, (char *[]){"prog", "--config", "/a.conf", "--backlog", "7",
                                          "--listen", "8080", NULL}),
                     -1);
    assert_string_equal(o.config, "/a.conf");
    assert_string_equal(o.listen, "8080");
    assert_int_equal(o.backlog, 7);
    unsetenv(GQLSSE_CONFIG_ENV);

    assert_int_equal(parse(&o, (char *[]){"prog", "--help", NULL}), 0);
    assert_int_equal(usage_calls, 1);
    assert_ptr_equal(usage_to, stdout);
    assert_int_equal(parse(&o, (char *[]){"prog", "-h", NULL}), 0);
    assert_int_equal(usage_calls, 1);
    assert_int_equal(parse(&o, (char *[]){"prog", "--version", NULL}), 0);
    assert_int_equal(usage_calls, 0);
    /* unknown, or an option without its value: 1, usage on stderr */
    assert_int_equal(parse(&o, (char *[]){"prog", "--bogus", NULL}), 1);
    assert_ptr_equal(usage_to, stderr);
    assert_int_equal(parse(&o, (char *[]){"prog", "--config", NULL}), 1);
    assert_int_equal(usage_calls, 1);
    assert_int_equal(parse(&o, (char *[]){"prog", "--listen", "1", "--backlog", NULL}), 1);
}

static void test_conf_load(void **state)
{
    (void)state;
    gqlsse_logger lg = {.level = -1, .prog = "gqlsse-test"}; /* quiet */
    gqlsse_conf conf;
    /* no file given, one that cannot be read, one that fails the check:
     * -1, nothing to free */
    assert_int_equal(gqlsse_daemon_conf_load(&conf, NULL, &lg), -1);
    assert_int_equal(gqlsse_daemon_conf_load(&conf, "/nonexistent/gqlsse.conf", &lg), -1);
    char path[] = "/tmp/gqlsse-test-daemon-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("log_level = debug\n", f);
    fflush(f);
    assert_int_equal(gqlsse_daemon_conf_load(&conf, path, &lg), -1); /* no `schema` */
    assert_int_equal(lg.level, -1);
    /* a good file: loaded, and its log level is the logger's */
    fputs("schema = tasks.graphql\nlisten = 127.0.0.1:9000\n", f);
    fclose(f);
    assert_int_equal(gqlsse_daemon_conf_load(&conf, path, &lg), 0);
    assert_int_equal(lg.level, GQLSSE_LOG_DEBUG);
    assert_string_equal(conf.listen, "127.0.0.1:9000");
    gqlsse_conf_free(&conf);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_conf_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

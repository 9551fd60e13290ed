/* fuzz_replay.c: replays a network-input fuzz target's corpus
 * (tests/fuzz/corpus/NAME/) and its kept crash inputs
 * (tests/fuzz/regress/NAME/) through the target's own checks, built with
 * the normal compiler and without libFuzzer, so `make check` runs them on
 * every build. Linked with one of tests/fuzz/fuzz_*.c; FUZZ_REPLAY names
 * its folders. A failing check abort()s (the test fails with the input on
 * stderr). */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replays every file of $top_srcdir/tests/fuzz/WHICH/FUZZ_REPLAY; returns
 * how many (-1 when the folder does not exist). */
static int replay_dir(const char *which)
{
    const char *top = getenv("top_srcdir");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", top ? top : ".", which, FUZZ_REPLAY);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        long len = ftell(f);
        assert_true(len >= 0);
        rewind(f);
        /* an exact-size heap copy, as libFuzzer passes it */
        uint8_t *buf = malloc(len ? (size_t)len : 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
        fclose(f);
        assert_int_equal(LLVMFuzzerTestOneInput(buf, (size_t)len), 0);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

static void test_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("corpus") > 0);
}

static void test_regressions(void **state)
{
    (void)state;
    /* a target without kept crash inputs has no folder */
    int n = replay_dir("regress");
    assert_true(n == -1 || n > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_regressions),
    };
    return cmocka_run_group_tests_name(FUZZ_REPLAY, tests, NULL, NULL);
}

/* test_list.c: the intrusive doubly linked list (src/util/list.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/list.h"

/* An item on two lists at once, its links not first in the struct. */
typedef struct item {
    int value;
    gqlsse_link a;
    char pad[3];
    gqlsse_link b;
} item;

/* Checks that `l` holds exactly want[0..n) in order, forwards and back. */
static void expect_a(const gqlsse_list *l, const int *want, size_t n)
{
    size_t i = 0;
    const item *last = NULL;
    for (item *it = GQLSSE_LIST_FIRST(l, item, a); it; it = GQLSSE_LIST_NEXT(it, item, a)) {
        assert_true(i < n);
        assert_int_equal(it->value, want[i]);
        if (i == 0)
            assert_null(it->a.prev);
        else
            assert_ptr_equal(it->a.prev, &last->a);
        last = it;
        i++;
    }
    assert_int_equal(i, n);
    assert_int_equal(gqlsse_list_empty(l), n == 0);
}

static void test_push_remove(void **state)
{
    (void)state;
    gqlsse_list l = GQLSSE_LIST_INIT;
    item it[4] = {{.value = 0}, {.value = 1}, {.value = 2}, {.value = 3}};
    assert_true(gqlsse_list_empty(&l));
    assert_null(GQLSSE_LIST_FIRST(&l, item, a));
    for (int i = 0; i < 4; i++)
        gqlsse_list_push(&l, &it[i].a);
    expect_a(&l, (const int[]){3, 2, 1, 0}, 4);
    gqlsse_list_remove(&l, &it[2].a); /* middle */
    assert_null(it[2].a.prev);
    assert_null(it[2].a.next);
    expect_a(&l, (const int[]){3, 1, 0}, 3);
    gqlsse_list_remove(&l, &it[3].a); /* head */
    expect_a(&l, (const int[]){1, 0}, 2);
    gqlsse_list_remove(&l, &it[0].a); /* tail */
    expect_a(&l, (const int[]){1}, 1);
    gqlsse_list_remove(&l, &it[0].a); /* on no list: nothing changes */
    expect_a(&l, (const int[]){1}, 1);
    gqlsse_list_remove(&l, &it[1].a);
    expect_a(&l, NULL, 0);
    gqlsse_list_push(&l, &it[2].a); /* a removed item can go on again */
    expect_a(&l, (const int[]){2}, 1);
}

/* Removing the current item while iterating with the next one saved, and
 * one item on two lists: the lists are independent. */
static void test_two_lists(void **state)
{
    (void)state;
    gqlsse_list la = GQLSSE_LIST_INIT, lb = GQLSSE_LIST_INIT;
    item it[5];
    for (int i = 0; i < 5; i++) {
        it[i] = (item){.value = i};
        gqlsse_list_push(&la, &it[i].a);
        if (i % 2 == 0)
            gqlsse_list_push(&lb, &it[i].b);
    }
    for (item *x = GQLSSE_LIST_FIRST(&la, item, a), *n; x; x = n) {
        n = GQLSSE_LIST_NEXT(x, item, a);
        if (x->value % 2 == 0)
            gqlsse_list_remove(&la, &x->a);
    }
    expect_a(&la, (const int[]){3, 1}, 2);
    int seen = 0;
    for (item *x = GQLSSE_LIST_FIRST(&lb, item, b); x; x = GQLSSE_LIST_NEXT(x, item, b))
        seen = seen * 10 + x->value;
    assert_int_equal(seen, 420);
    assert_ptr_equal(GQLSSE_LIST_ITEM(&it[3].b, item, b), &it[3]);
    assert_null(GQLSSE_LIST_ITEM(NULL, item, b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_remove),
        cmocka_unit_test(test_two_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

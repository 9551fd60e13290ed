/* oldsize.c: a test module laid out as the first release of module API
 * version 1 (GQLSSE_MODULE_SIZE_V1_0): its description ends before the
 * members appended later (permissions, stream_open), and what follows it in
 * memory is junk that would crash the host if it read those members. The
 * host must load it and run its source unchanged. */
#include "config.h"

#include <gqlsse/module.h>

#include <stdint.h>
#include <stdlib.h>

/* gqlsse_module as the first release of version 1 declared it. */
typedef struct module_v1_0 {
    uint32_t api_version;
    uint32_t size;
    const char *name;
    int (*init)(const gqlsse_host *host, void **module_state);
    void (*fini)(void *module_state);
    const gqlsse_source_def *sources;
    size_t nsources;
    const gqlsse_resolver_def *resolvers;
    size_t nresolvers;
} module_v1_0;

_Static_assert(sizeof(module_v1_0) == GQLSSE_MODULE_SIZE_V1_0,
               "module_v1_0 must match the first version 1 layout");

static int old_init(const gqlsse_host *host, void **state)
{
    *state = (void *)host;
    return 0;
}

/* Subscription.countdown: the values start..1 at once, then complete. */
static int old_start(gqlsse_source *src, json_object *args, void *mstate, void **state,
                     const char **error)
{
    const gqlsse_host *host = mstate;
    json_object *v = NULL;
    int n = 2;
    (void)error;
    if (args && json_object_object_get_ex(args, "start", &v) && v)
        n = json_object_get_int(v);
    *state = NULL;
    for (int i = n; i > 0; i--)
        if (host->next(src, json_object_new_int(i)) < 0)
            return 0;
    host->complete(src);
    return 0;
}

static void old_stop(gqlsse_source *src, void *state)
{
    (void)src;
    (void)state;
}

static const gqlsse_source_def sources[] = {
    {.coordinate = "Subscription.countdown", .start = old_start, .stop = old_stop},
};

/* The V1.0 description, then junk where later members would be. */
static const struct {
    module_v1_0 mod;
    uintptr_t junk[4];
} entry = {
    .mod = {.api_version = 1,
            .size = sizeof(module_v1_0),
            .name = "oldsize",
            .init = old_init,
            .sources = sources,
            .nsources = 1},
    .junk = {(uintptr_t)0xdead0001u, (uintptr_t)0xbeefu, (uintptr_t)0xdead0003u, 0},
};

const gqlsse_module *gqlsse_module_entry(void);
const gqlsse_module *gqlsse_module_entry(void)
{
    return (const gqlsse_module *)(const void *)&entry;
}

/* app.h: what a configuration describes, loaded: the schema, the C modules
 * (dlopen) and the runtime with their resolvers. Used by gqlsse-fcgi and by
 * `gqlsse check-config`. Loading and unloading happen on one thread at
 * start-up/exit; once loaded everything here is read-only. */
#ifndef GQLSSE_HTTP_APP_H
#define GQLSSE_HTTP_APP_H

#include <stddef.h>

#include <gqlsse/execute.h>
#include <gqlsse/module.h>
#include <gqlsse/schema.h>

#include "http/bindings.h"
#include "http/conf.h"

typedef struct gqlsse_app_module {
    void *dl;                  /* dlopen handle */
    const gqlsse_module *mod;  /* static in the module */
    void *state;               /* from init */
    int initialised;
    char *path;
} gqlsse_app_module;

typedef struct gqlsse_app_source {
    const gqlsse_source_def *def;
    gqlsse_app_module *module;
} gqlsse_app_source;

/* A module's permission check on a subscription field (module.h). */
typedef struct gqlsse_app_permission {
    const gql_field *field;            /* owned by the schema */
    const gqlsse_permission_def *def;  /* static in the module */
    gqlsse_app_module *module;
} gqlsse_app_permission;

typedef struct gqlsse_app {
    gql_schema *schema;        /* owned */
    gql_runtime *runtime;      /* owned */
    gqlsse_app_module *modules; /* owned array */
    size_t nmodules;
    gqlsse_app_source *sources; /* owned array */
    size_t nsources;
    gqlsse_binding *bindings;   /* owned array: fields bound by @model / @topic */
    size_t nbindings;
    gqlsse_app_permission *permissions; /* owned array */
    size_t npermissions;
} gqlsse_app;

/*
 * Loads the schema files and modules of `c`, checks every coordinate the
 * modules register against the schema, and builds the runtime: module
 * resolvers, plus `source_resolver` (with ud NULL) on every source
 * coordinate and on every field bound by @model/@topic (the binding
 * directives come from a prelude added to the schema, see bindings.h). When `host` is not NULL the modules' init hooks run.
 * Returns 0, or -1 with a message in err (file, line and column for schema
 * errors). `app` is owned by the caller (gqlsse_app_unload), also on error.
 */
int gqlsse_app_load(gqlsse_app *app, const gqlsse_conf *c, const gqlsse_host *host,
                    gql_resolver_fn source_resolver, char *err, size_t errlen);

/* The source registered for "Type.field", NULL when none. */
const gqlsse_app_source *gqlsse_app_find_source(const gqlsse_app *app, const char *coord);

/* Do the permission checks registered for field `f` allow `value` for
 * `identity` (NULL: unauthenticated)? 1 yes (also when there are none), 0 no. */
int gqlsse_app_permitted(const gqlsse_app *app, const gql_field *f, const char *identity,
                         json_object *value);

/* Does field `f` have permission checks? 1 yes, 0 no. */
int gqlsse_app_has_permissions(const gqlsse_app *app, const gql_field *f);

/* Runs the fini hooks, dlcloses, frees; zeroes *app. */
void gqlsse_app_unload(gqlsse_app *app);

#endif

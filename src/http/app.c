/* app.c: loading the schema and the C modules named by the configuration. */
#include "config.h"

#include "http/app.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* "Type.field" names a field of the schema: 1, else 0. */
static const gql_field *find_coord(const gql_schema *s, const char *coord)
{
    const char *dot = strchr(coord, '.');
    if (!dot)
        return NULL;
    const gql_type *t = gql_schema_find_type(s, coord, (size_t)(dot - coord));
    if (!t)
        return NULL;
    return gql_type_find_field(t, dot + 1, strlen(dot + 1));
}

/* Reads a whole file; malloc-owned by the caller. NULL with errno on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            char *g = realloc(data, cap ? cap * 2 : 8192);
            if (!g) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = g;
            cap = cap ? cap * 2 : 8192;
        }
        size_t r = fread(data + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

/* The configured SDL files plus the binding prelude (bindings.h). Returns
 * the schema owned by the caller, or NULL with FILE:LINE:COLUMN errors. */
static gql_schema *load_schema(const gqlsse_conf *c, char *err, size_t errlen)
{
    size_t n = c->nschema_files;
    gql_sdl_source *src = calloc(n + 1, sizeof *src);
    char **texts = calloc(n + 1, sizeof *texts);
    gql_schema *schema = NULL;
    if (!src || !texts) {
        seterr(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        texts[i] = read_file(c->schema_files[i], &len);
        if (!texts[i]) {
            seterr(err, errlen, "schema: %s: cannot read: %s", c->schema_files[i], strerror(errno));
            goto out;
        }
        src[i] = (gql_sdl_source){.name = c->schema_files[i], .text = texts[i], .len = len};
    }
    src[n] = (gql_sdl_source){.name = GQLSSE_BINDINGS_PRELUDE_NAME,
                              .text = gqlsse_bindings_prelude,
                              .len = strlen(gqlsse_bindings_prelude)};
    gql_buf report = GQL_BUF_INIT;
    schema = gql_schema_build(src, n + 1, 0, NULL, &report);
    if (!schema) {
        while (report.len && report.data[report.len - 1] == '\n')
            report.data[--report.len] = '\0';
        seterr(err, errlen, "schema: %s", report.data ? report.data : "cannot be built");
    }
    gql_buf_free(&report);
out:
    for (size_t i = 0; i < n && texts; i++)
        free(texts[i]);
    free(texts);
    free(src);
    return schema;
}

int gqlsse_app_load(gqlsse_app *app, const gqlsse_conf *c, const gqlsse_host *host,
                    gql_resolver_fn source_resolver, char *err, size_t errlen)
{
    memset(app, 0, sizeof *app);
    app->schema = load_schema(c, err, errlen);
    if (!app->schema)
        return -1;
    if (gqlsse_bindings_load(app->schema, &app->bindings, &app->nbindings, err, errlen) < 0)
        return -1;
    app->runtime = gql_runtime_new(app->schema);
    app->modules = calloc(c->nmodules ? c->nmodules : 1, sizeof *app->modules);
    if (!app->runtime || !app->modules) {
        seterr(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < c->nmodules; i++) {
        gqlsse_app_module *m = &app->modules[i];
        m->path = strdup(c->modules[i]);
        app->nmodules++;
        m->dl = dlopen(c->modules[i], RTLD_NOW | RTLD_LOCAL);
        if (!m->dl) {
            seterr(err, errlen, "module %s: cannot load: %s", c->modules[i], dlerror());
            return -1;
        }
        gqlsse_module_entry_fn entry;
        void *sym = dlsym(m->dl, GQLSSE_MODULE_SYMBOL);
        if (!sym) {
            seterr(err, errlen, "module %s: no symbol %s", c->modules[i], GQLSSE_MODULE_SYMBOL);
            return -1;
        }
        memcpy(&entry, &sym, sizeof entry);
        m->mod = entry();
        if (!m->mod || m->mod->api_version != GQLSSE_MODULE_API_VERSION ||
            m->mod->size < GQLSSE_MODULE_SIZE_V1_0) {
            seterr(err, errlen, "module %s: module API version %u, this worker speaks %u",
                   c->modules[i], m->mod ? m->mod->api_version : 0, GQLSSE_MODULE_API_VERSION);
            return -1;
        }
        for (size_t k = 0; k < m->mod->nresolvers; k++) {
            const gqlsse_resolver_def *r = &m->mod->resolvers[k];
            if (!find_coord(app->schema, r->coordinate) ||
                gql_runtime_set_resolver(app->runtime, r->coordinate, r->fn, r->ud) < 0) {
                seterr(err, errlen, "module %s: resolver for %s: no such field in the schema",
                       c->modules[i], r->coordinate);
                return -1;
            }
        }
        for (size_t k = 0; k < m->mod->nsources; k++) {
            const gqlsse_source_def *d = &m->mod->sources[k];
            const gql_field *f = find_coord(app->schema, d->coordinate);
            if (!f || !app->schema->subscription || f->parent != app->schema->subscription) {
                seterr(err, errlen,
                       "module %s: source for %s: not a field of the subscription type",
                       c->modules[i], d->coordinate);
                return -1;
            }
            if (gqlsse_app_find_source(app, d->coordinate)) {
                seterr(err, errlen, "module %s: a source for %s is already registered",
                       c->modules[i], d->coordinate);
                return -1;
            }
            gqlsse_app_source *g = realloc(app->sources, (app->nsources + 1) * sizeof *g);
            if (!g) {
                seterr(err, errlen, "out of memory");
                return -1;
            }
            app->sources = g;
            g[app->nsources].def = d;
            g[app->nsources].module = m;
            app->nsources++;
            if (source_resolver &&
                gql_runtime_set_resolver(app->runtime, d->coordinate, source_resolver, NULL) < 0) {
                seterr(err, errlen, "out of memory");
                return -1;
            }
        }
    }
    for (size_t i = 0; i < app->nmodules; i++) {
        gqlsse_app_module *m = &app->modules[i];
        size_t np = GQLSSE_MODULE_HAS(m->mod, npermissions) ? m->mod->npermissions : 0;
        for (size_t k = 0; k < np; k++) {
            const gqlsse_permission_def *d = &m->mod->permissions[k];
            const gql_field *f = d->coordinate ? find_coord(app->schema, d->coordinate) : NULL;
            if (!f || !app->schema->subscription || f->parent != app->schema->subscription ||
                !d->check) {
                seterr(err, errlen,
                       "module %s: permission check for %s: not a field of the subscription "
                       "type, or no check function",
                       m->path, d->coordinate ? d->coordinate : "(null)");
                return -1;
            }
            gqlsse_app_permission *g =
                realloc(app->permissions, (app->npermissions + 1) * sizeof *g);
            if (!g) {
                seterr(err, errlen, "out of memory");
                return -1;
            }
            app->permissions = g;
            g[app->npermissions++] = (gqlsse_app_permission){.field = f, .def = d, .module = m};
        }
    }
    for (size_t i = 0; i < app->nbindings; i++) {
        const gql_field *f = app->bindings[i].field;
        char coord[512];
        snprintf(coord, sizeof coord, "%s.%s", f->parent->name, f->name);
        if (gqlsse_app_find_source(app, coord)) {
            seterr(err, errlen, "%s is bound by @%s in the schema and has a module source too",
                   coord, app->bindings[i].kind == GQLSSE_BUS_MODEL ? "model" : "topic");
            return -1;
        }
        if (source_resolver &&
            gql_runtime_set_resolver(app->runtime, coord, source_resolver, NULL) < 0) {
            seterr(err, errlen, "out of memory");
            return -1;
        }
    }
    /* Modules' sources point into app->modules: stable now (no realloc). */
    if (host) {
        for (size_t i = 0; i < app->nmodules; i++) {
            gqlsse_app_module *m = &app->modules[i];
            if (m->mod->init && m->mod->init(host, &m->state) < 0) {
                seterr(err, errlen, "module %s: init failed", m->path);
                return -1;
            }
            m->initialised = 1;
        }
    }
    return 0;
}

const gqlsse_app_source *gqlsse_app_find_source(const gqlsse_app *app, const char *coord)
{
    for (size_t i = 0; i < app->nsources; i++)
        if (strcmp(app->sources[i].def->coordinate, coord) == 0)
            return &app->sources[i];
    return NULL;
}

int gqlsse_app_has_permissions(const gqlsse_app *app, const gql_field *f)
{
    for (size_t i = 0; i < app->npermissions; i++)
        if (app->permissions[i].field == f)
            return 1;
    const gqlsse_binding *b = gqlsse_bindings_find(app->bindings, app->nbindings, f);
    return b && b->owner;
}

int gqlsse_app_permitted(const gqlsse_app *app, const gql_field *f, const char *identity,
                         json_object *value)
{
    const gqlsse_binding *b = gqlsse_bindings_find(app->bindings, app->nbindings, f);
    if (b && b->owner && !gqlsse_binding_owner_ok(b, identity, value))
        return 0;
    for (size_t i = 0; i < app->npermissions; i++) {
        const gqlsse_app_permission *p = &app->permissions[i];
        if (p->field == f && p->def->check(identity, value, p->module->state) != 1)
            return 0;
    }
    return 1;
}

void gqlsse_app_unload(gqlsse_app *app)
{
    for (size_t i = app->nmodules; i-- > 0;) {
        gqlsse_app_module *m = &app->modules[i];
        if (m->initialised && m->mod->fini)
            m->mod->fini(m->state);
        if (m->dl)
            dlclose(m->dl);
        free(m->path);
    }
    free(app->modules);
    free(app->sources);
    free(app->permissions);
    gqlsse_bindings_free(app->bindings, app->nbindings);
    gql_runtime_free(app->runtime);
    gql_schema_free(app->schema);
    memset(app, 0, sizeof *app);
}

/* error.c: GraphQL error lists (see gqlsse/error.h). */
#include "config.h"

#include <gqlsse/error.h>
#include <gqlsse/buf.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gql_error *add_owned(gql_error_list *list, char *message,
                            const gql_location *locs, uint32_t nlocs)
{
    if (list->count == list->capacity) {
        uint32_t cap = list->capacity ? list->capacity * 2 : 4;
        gql_error *items = realloc(list->items, cap * sizeof *items);
        if (!items) {
            free(message);
            return NULL;
        }
        list->items = items;
        list->capacity = cap;
    }
    gql_error *e = &list->items[list->count];
    memset(e, 0, sizeof *e);
    e->message = message;
    if (nlocs) {
        e->locations = malloc(nlocs * sizeof *locs);
        if (!e->locations) {
            free(message);
            return NULL;
        }
        memcpy(e->locations, locs, nlocs * sizeof *locs);
        e->nlocations = nlocs;
    }
    list->count++;
    return e;
}

gql_error *gql_error_list_add(gql_error_list *list, const char *message,
                              const gql_location *locs, uint32_t nlocs)
{
    char *m = strdup(message);
    if (!m)
        return NULL;
    return add_owned(list, m, locs, nlocs);
}

gql_error *gql_error_list_addf(gql_error_list *list, const gql_location *locs,
                               uint32_t nlocs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *m = malloc((size_t)n + 1);
    if (!m)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(m, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return add_owned(list, m, locs, nlocs);
}

int gql_error_set_path(gql_error *err, const gql_path_segment *path, uint32_t n)
{
    gql_path_segment *p = n ? calloc(n, sizeof *p) : NULL;
    if (n && !p)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        p[i].index = path[i].index;
        if (path[i].key) {
            p[i].key = strdup(path[i].key);
            if (!p[i].key) {
                for (uint32_t j = 0; j < i; j++)
                    free((char *)p[j].key);
                free(p);
                return -1;
            }
        }
    }
    err->path = p;
    err->npath = n;
    return 0;
}

void gql_error_list_clear(gql_error_list *list)
{
    for (uint32_t i = 0; i < list->count; i++) {
        gql_error *e = &list->items[i];
        free(e->message);
        free(e->locations);
        for (uint32_t j = 0; j < e->npath; j++)
            free((char *)e->path[j].key);
        free(e->path);
    }
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}

void gql_error_to_json(gql_buf *out, const gql_error *e)
{
    gql_buf_puts(out, "{\"message\":");
    gql_buf_json_string(out, e->message, strlen(e->message));
    if (e->nlocations) {
        gql_buf_puts(out, ",\"locations\":[");
        for (uint32_t j = 0; j < e->nlocations; j++)
            gql_buf_printf(out, "%s{\"line\":%u,\"column\":%u}", j ? "," : "",
                           e->locations[j].line, e->locations[j].column);
        gql_buf_putc(out, ']');
    }
    if (e->npath) {
        gql_buf_puts(out, ",\"path\":[");
        for (uint32_t j = 0; j < e->npath; j++) {
            if (j)
                gql_buf_putc(out, ',');
            if (e->path[j].key)
                gql_buf_json_string(out, e->path[j].key, strlen(e->path[j].key));
            else
                gql_buf_printf(out, "%u", e->path[j].index);
        }
        gql_buf_putc(out, ']');
    }
    gql_buf_putc(out, '}');
}

void gql_error_list_to_json(gql_buf *out, const gql_error_list *list)
{
    gql_buf_putc(out, '[');
    for (uint32_t i = 0; i < list->count; i++) {
        if (i)
            gql_buf_putc(out, ',');
        gql_error_to_json(out, &list->items[i]);
    }
    gql_buf_putc(out, ']');
}

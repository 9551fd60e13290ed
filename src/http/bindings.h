/* bindings.h: subscription fields bound in the SDL to broker events
 * (@model, @topic, @owner; docs/subscriptions.md), read and validated at start-up. */
#ifndef GQLSSE_HTTP_BINDINGS_H
#define GQLSSE_HTTP_BINDINGS_H

#include <stddef.h>

#include <json-c/json.h>

#include <gqlsse/buf.h>
#include <gqlsse/schema.h>

#include "bus/codec.h"

/* The SDL the worker adds to every schema: the binding directives and their
 * argument types. Users' schemas use them without declaring them. */
extern const char gqlsse_bindings_prelude[];
#define GQLSSE_BINDINGS_PRELUDE_NAME "<gqlsse prelude>"

/* One filter entry: the event passes when the data at `path` equals the
 * value of the field's argument `arg` (null or absent argument: no check). */
typedef struct gqlsse_filter {
    const char *arg;   /* the argument's name, owned by the schema */
    char **path;       /* property names, owned */
    size_t npath;
} gqlsse_filter;

/* A bound subscription field. */
typedef struct gqlsse_binding {
    const gql_field *field;  /* Subscription.field, owned by the schema */
    gqlsse_bus_kind kind;    /* GQLSSE_BUS_MODEL or GQLSSE_BUS_TOPIC */
    char *name;              /* model or topic name, owned */
    char *topic;             /* "model/NAME/" or "topic/NAME/", owned */
    unsigned events;         /* models: 1u << gqlsse_bus_event accepted */
    gqlsse_filter *filters;  /* owned */
    size_t nfilters;
    /* @owner(field: "a.b"): only the identity (REMOTE_USER) equal to the
     * value's property at this path may receive it; NULL: no such check. */
    char **owner;            /* property names, owned */
    size_t nowner;
} gqlsse_binding;

/* Reads every @model / @topic on the schema's subscription fields and checks
 * them (event kinds, names, field types, filters). Returns 0 with an array
 * owned by the caller (gqlsse_bindings_free) in *out, or -1 with a message
 * "FILE:LINE:COLUMN: problem" in err (*out NULL). */
int gqlsse_bindings_load(const gql_schema *s, gqlsse_binding **out, size_t *n, char *err,
                         size_t errlen);
void gqlsse_bindings_free(gqlsse_binding *b, size_t n);

/* The binding of field `f`, NULL when it has none. */
const gqlsse_binding *gqlsse_bindings_find(const gqlsse_binding *b, size_t n,
                                           const gql_field *f);

/* Does the decoded message `m` select this binding with the coerced field
 * arguments `args` (an object, may be NULL)? 1 yes, 0 no. */
int gqlsse_binding_match(const gqlsse_binding *b, json_object *args, const gqlsse_bus_msg *m);

/* The @owner check: 1 when `b` has none, or `identity` is not NULL and
 * equals the property of `value` at b->owner (strings; numbers by their
 * JSON text); else 0. */
int gqlsse_binding_owner_ok(const gqlsse_binding *b, const char *identity, json_object *value);

#endif

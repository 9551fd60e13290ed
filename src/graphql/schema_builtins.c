/* schema_builtins.c: the specified scalars, introspection types, meta fields
 * and specified directives of graphql-js 16.15, created per schema. The
 * tables were generated from graphql-js itself (names, types, descriptions). */
#include "config.h"

#include "graphql/schema_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct builtin_type_def {
    gql_type_kind kind;
    const char *name;
    const char *description;
} builtin_type_def;

typedef struct builtin_field_def {
    const char *owner;
    const char *name;
    const char *type;
    const char *description;
} builtin_field_def;

typedef struct builtin_arg_def {
    const char *owner; /* "Type.field" or "@directive" */
    const char *name;
    const char *type;
    const char *default_literal; /* "false" or a "string", NULL when none */
    const char *description;
} builtin_arg_def;

typedef struct builtin_enum_value_def {
    const char *owner;
    const char *name;
    const char *description;
} builtin_enum_value_def;

typedef struct builtin_directive_def {
    const char *name;
    int repeatable;
    const char *locations; /* space separated */
    const char *description;
} builtin_directive_def;

/* kind, name, description */
static const builtin_type_def builtin_types[] = {
    {GQL_TYPE_SCALAR, "String",
     "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text."},
    {GQL_TYPE_SCALAR, "Int",
     "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1."},
    {GQL_TYPE_SCALAR, "Float",
     "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point)."},
    {GQL_TYPE_SCALAR, "Boolean",
     "The `Boolean` scalar type represents `true` or `false`."},
    {GQL_TYPE_SCALAR, "ID",
     "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID."},
    {GQL_TYPE_OBJECT, "__Schema",
     "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations."},
    {GQL_TYPE_OBJECT, "__Directive",
     "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor."},
    {GQL_TYPE_ENUM, "__DirectiveLocation",
     "A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies."},
    {GQL_TYPE_OBJECT, "__Type",
     "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types."},
    {GQL_TYPE_OBJECT, "__Field",
     "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type."},
    {GQL_TYPE_OBJECT, "__InputValue",
     "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value."},
    {GQL_TYPE_OBJECT, "__EnumValue",
     "One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string."},
    {GQL_TYPE_ENUM, "__TypeKind",
     "An enum describing what kind of type a given `__Type` is."},
};

/* owner type, name, type, description */
static const builtin_field_def builtin_fields[] = {
    {"__Schema", "description", "String",
     NULL},
    {"__Schema", "types", "[__Type!]!",
     "A list of all types supported by this server."},
    {"__Schema", "queryType", "__Type!",
     "The type that query operations will be rooted at."},
    {"__Schema", "mutationType", "__Type",
     "If this server supports mutation, the type that mutation operations will be rooted at."},
    {"__Schema", "subscriptionType", "__Type",
     "If this server support subscription, the type that subscription operations will be rooted at."},
    {"__Schema", "directives", "[__Directive!]!",
     "A list of all directives supported by this server."},
    {"__Directive", "name", "String!",
     NULL},
    {"__Directive", "description", "String",
     NULL},
    {"__Directive", "isRepeatable", "Boolean!",
     NULL},
    {"__Directive", "locations", "[__DirectiveLocation!]!",
     NULL},
    {"__Directive", "args", "[__InputValue!]!",
     NULL},
    {"__Directive", "isDeprecated", "Boolean!",
     NULL},
    {"__Directive", "deprecationReason", "String",
     NULL},
    {"__Type", "kind", "__TypeKind!",
     NULL},
    {"__Type", "name", "String",
     NULL},
    {"__Type", "description", "String",
     NULL},
    {"__Type", "specifiedByURL", "String",
     NULL},
    {"__Type", "fields", "[__Field!]",
     NULL},
    {"__Type", "interfaces", "[__Type!]",
     NULL},
    {"__Type", "possibleTypes", "[__Type!]",
     NULL},
    {"__Type", "enumValues", "[__EnumValue!]",
     NULL},
    {"__Type", "inputFields", "[__InputValue!]",
     NULL},
    {"__Type", "ofType", "__Type",
     NULL},
    {"__Type", "isOneOf", "Boolean",
     NULL},
    {"__Field", "name", "String!",
     NULL},
    {"__Field", "description", "String",
     NULL},
    {"__Field", "args", "[__InputValue!]!",
     NULL},
    {"__Field", "type", "__Type!",
     NULL},
    {"__Field", "isDeprecated", "Boolean!",
     NULL},
    {"__Field", "deprecationReason", "String",
     NULL},
    {"__InputValue", "name", "String!",
     NULL},
    {"__InputValue", "description", "String",
     NULL},
    {"__InputValue", "type", "__Type!",
     NULL},
    {"__InputValue", "defaultValue", "String",
     "A GraphQL-formatted string representing the default value for this input value."},
    {"__InputValue", "isDeprecated", "Boolean!",
     NULL},
    {"__InputValue", "deprecationReason", "String",
     NULL},
    {"__EnumValue", "name", "String!",
     NULL},
    {"__EnumValue", "description", "String",
     NULL},
    {"__EnumValue", "isDeprecated", "Boolean!",
     NULL},
    {"__EnumValue", "deprecationReason", "String",
     NULL},
};

/* owner (Type.field or @directive), name, type, default (GraphQL literal), description */
static const builtin_arg_def builtin_args[] = {
    {"__Schema.directives", "includeDeprecated", "Boolean!", "false",
     NULL},
    {"__Directive.args", "includeDeprecated", "Boolean", "false",
     NULL},
    {"__Type.fields", "includeDeprecated", "Boolean", "false",
     NULL},
    {"__Type.enumValues", "includeDeprecated", "Boolean", "false",
     NULL},
    {"__Type.inputFields", "includeDeprecated", "Boolean", "false",
     NULL},
    {"__Field.args", "includeDeprecated", "Boolean", "false",
     NULL},
    {"@include", "if", "Boolean!", NULL,
     "Included when true."},
    {"@skip", "if", "Boolean!", NULL,
     "Skipped when true."},
    {"@deprecated", "reason", "String", "\"No longer supported\"",
     "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/)."},
    {"@specifiedBy", "url", "String!", NULL,
     "The URL that specifies the behavior of this scalar."},
};

/* owner enum, value, description */
static const builtin_enum_value_def builtin_enum_values[] = {
    {"__DirectiveLocation", "QUERY",
     "Location adjacent to a query operation."},
    {"__DirectiveLocation", "MUTATION",
     "Location adjacent to a mutation operation."},
    {"__DirectiveLocation", "SUBSCRIPTION",
     "Location adjacent to a subscription operation."},
    {"__DirectiveLocation", "FIELD",
     "Location adjacent to a field."},
    {"__DirectiveLocation", "FRAGMENT_DEFINITION",
     "Location adjacent to a fragment definition."},
    {"__DirectiveLocation", "FRAGMENT_SPREAD",
     "Location adjacent to a fragment spread."},
    {"__DirectiveLocation", "INLINE_FRAGMENT",
     "Location adjacent to an inline fragment."},
    {"__DirectiveLocation", "VARIABLE_DEFINITION",
     "Location adjacent to a variable definition."},
    {"__DirectiveLocation", "SCHEMA",
     "Location adjacent to a schema definition."},
    {"__DirectiveLocation", "SCALAR",
     "Location adjacent to a scalar definition."},
    {"__DirectiveLocation", "OBJECT",
     "Location adjacent to an object type definition."},
    {"__DirectiveLocation", "FIELD_DEFINITION",
     "Location adjacent to a field definition."},
    {"__DirectiveLocation", "ARGUMENT_DEFINITION",
     "Location adjacent to an argument definition."},
    {"__DirectiveLocation", "INTERFACE",
     "Location adjacent to an interface definition."},
    {"__DirectiveLocation", "UNION",
     "Location adjacent to a union definition."},
    {"__DirectiveLocation", "ENUM",
     "Location adjacent to an enum definition."},
    {"__DirectiveLocation", "ENUM_VALUE",
     "Location adjacent to an enum value definition."},
    {"__DirectiveLocation", "INPUT_OBJECT",
     "Location adjacent to an input object type definition."},
    {"__DirectiveLocation", "INPUT_FIELD_DEFINITION",
     "Location adjacent to an input object field definition."},
    {"__DirectiveLocation", "DIRECTIVE_DEFINITION",
     "Location adjacent to a directive definition."},
    {"__TypeKind", "SCALAR",
     "Indicates this type is a scalar."},
    {"__TypeKind", "OBJECT",
     "Indicates this type is an object. `fields` and `interfaces` are valid fields."},
    {"__TypeKind", "INTERFACE",
     "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields."},
    {"__TypeKind", "UNION",
     "Indicates this type is a union. `possibleTypes` is a valid field."},
    {"__TypeKind", "ENUM",
     "Indicates this type is an enum. `enumValues` is a valid field."},
    {"__TypeKind", "INPUT_OBJECT",
     "Indicates this type is an input object. `inputFields` is a valid field."},
    {"__TypeKind", "LIST",
     "Indicates this type is a list. `ofType` is a valid field."},
    {"__TypeKind", "NON_NULL",
     "Indicates this type is a non-null. `ofType` is a valid field."},
};

/* name, repeatable, locations, description */
static const builtin_directive_def builtin_directives[] = {
    {"include", 0, "FIELD FRAGMENT_SPREAD INLINE_FRAGMENT",
     "Directs the executor to include this field or fragment only when the `if` argument is true."},
    {"skip", 0, "FIELD FRAGMENT_SPREAD INLINE_FRAGMENT",
     "Directs the executor to skip this field or fragment when the `if` argument is true."},
    {"deprecated", 0, "FIELD_DEFINITION ARGUMENT_DEFINITION INPUT_FIELD_DEFINITION ENUM_VALUE DIRECTIVE_DEFINITION",
     "Marks an element of a GraphQL schema as no longer supported."},
    {"specifiedBy", 0, "SCALAR",
     "Exposes a URL that specifies the behavior of this scalar."},
    {"oneOf", 0, "INPUT_OBJECT",
     "Indicates exactly one field must be supplied and this field must not be `null`."},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static gql_str str_of(gql_arena *a, const char *s)
{
    gql_str r = {NULL, 0};
    if (s) {
        r.s = gql_arena_strdup(a, s);
        r.len = r.s ? (uint32_t)strlen(s) : 0;
    }
    return r;
}

gql_type *gqls_builtin_type(const gqls_builtins *b, const char *name, size_t len)
{
    for (int i = 0; i < GQLS_BUILTIN_TYPE_COUNT; i++) {
        const gql_type *t = b->types[i];
        if (t && t->name_len == len && memcmp(t->name, name, len) == 0)
            return b->types[i];
    }
    return NULL;
}

/* Parses "[__Type!]!" against the built-in types. */
static const gql_type_ref *ref_of(gql_arena *a, const gqls_builtins *b, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '!') {
        const gql_type_ref *inner = ref_of(a, b, s, n - 1);
        gql_type_ref *r = inner ? gql_arena_zalloc(a, sizeof *r) : NULL;
        if (!r)
            return NULL;
        r->kind = GQL_REF_NON_NULL;
        r->of_type = inner;
        r->named = inner->named;
        return r;
    }
    if (n > 1 && s[0] == '[' && s[n - 1] == ']') {
        const gql_type_ref *inner = ref_of(a, b, s + 1, n - 2);
        gql_type_ref *r = inner ? gql_arena_zalloc(a, sizeof *r) : NULL;
        if (!r)
            return NULL;
        r->kind = GQL_REF_LIST;
        r->of_type = inner;
        r->named = inner->named;
        return r;
    }
    gql_type *t = gqls_builtin_type(b, s, n);
    return t ? &t->ref : NULL;
}

static gql_node *literal_node(gql_arena *a, const char *lit)
{
    gql_node *n = gql_arena_zalloc(a, sizeof *n);
    if (!n)
        return NULL;
    if (strcmp(lit, "false") == 0 || strcmp(lit, "true") == 0) {
        n->kind = GQL_BOOLEAN;
        n->flags = lit[0] == 't' ? GQL_FLAG_TRUE : 0;
        return n;
    }
    /* a "double-quoted" string without escapes */
    size_t len = strlen(lit);
    n->kind = GQL_STRING;
    n->value = gql_arena_strndup(a, lit + 1, len - 2);
    n->value_len = (uint32_t)(len - 2);
    return n->value ? n : NULL;
}

/* Fills the arguments of `owner` from the table. */
static int make_args(gql_arena *a, const gqls_builtins *b, const char *owner,
                     gql_input_value **out, uint32_t *nout, gql_name_index *idx)
{
    uint32_t n = 0;
    for (size_t i = 0; i < COUNT(builtin_args); i++)
        n += strcmp(builtin_args[i].owner, owner) == 0;
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return 0;
    gql_input_value *args = gql_arena_zalloc(a, n * sizeof *args);
    if (!args)
        return -1;
    uint32_t k = 0;
    for (size_t i = 0; i < COUNT(builtin_args); i++) {
        const builtin_arg_def *d = &builtin_args[i];
        if (strcmp(d->owner, owner) != 0)
            continue;
        gql_input_value *v = &args[k];
        v->name = d->name;
        v->name_len = (uint32_t)strlen(d->name);
        v->index = k++;
        v->description = str_of(a, d->description);
        v->type = ref_of(a, b, d->type, strlen(d->type));
        if (!v->type)
            return -1;
        if (d->default_literal) {
            v->default_value = literal_node(a, d->default_literal);
            if (!v->default_value)
                return -1;
            v->default_ast = v->default_value;
        }
    }
    *out = args;
    *nout = n;
    return gqls_index_build(a, idx, args, n, gqls_name_of_input_value);
}

static int make_fields(gql_arena *a, const gqls_builtins *b, gql_type *t)
{
    uint32_t n = 0;
    for (size_t i = 0; i < COUNT(builtin_fields); i++)
        n += strcmp(builtin_fields[i].owner, t->name) == 0;
    gql_field *fields = gql_arena_zalloc(a, n * sizeof *fields);
    if (!fields)
        return -1;
    uint32_t k = 0;
    for (size_t i = 0; i < COUNT(builtin_fields); i++) {
        const builtin_field_def *d = &builtin_fields[i];
        if (strcmp(d->owner, t->name) != 0)
            continue;
        gql_field *f = &fields[k];
        f->name = d->name;
        f->name_len = (uint32_t)strlen(d->name);
        f->index = k++;
        f->description = str_of(a, d->description);
        f->type = ref_of(a, b, d->type, strlen(d->type));
        f->parent = t;
        if (!f->type)
            return -1;
        char owner[64];
        snprintf(owner, sizeof owner, "%s.%s", t->name, d->name);
        if (make_args(a, b, owner, &f->args, &f->nargs, &f->args_index) < 0)
            return -1;
    }
    t->fields = fields;
    t->nfields = n;
    return gqls_index_build(a, &t->fields_index, fields, n, gqls_name_of_field);
}

static int make_values(gql_arena *a, gql_type *t)
{
    uint32_t n = 0;
    for (size_t i = 0; i < COUNT(builtin_enum_values); i++)
        n += strcmp(builtin_enum_values[i].owner, t->name) == 0;
    gql_enum_value *values = gql_arena_zalloc(a, n * sizeof *values);
    if (!values)
        return -1;
    uint32_t k = 0;
    for (size_t i = 0; i < COUNT(builtin_enum_values); i++) {
        const builtin_enum_value_def *d = &builtin_enum_values[i];
        if (strcmp(d->owner, t->name) != 0)
            continue;
        gql_enum_value *v = &values[k];
        v->name = d->name;
        v->name_len = (uint32_t)strlen(d->name);
        v->index = k++;
        v->description = str_of(a, d->description);
    }
    t->values = values;
    t->nvalues = n;
    return gqls_index_build(a, &t->values_index, values, n, gqls_name_of_enum_value);
}

static int make_meta_field(gql_arena *a, const gqls_builtins *b, gql_field *f,
                           const char *name, const char *type, const char *description)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->name_len = (uint32_t)strlen(name);
    f->description = str_of(a, description);
    f->type = ref_of(a, b, type, strlen(type));
    return f->type && f->description.s ? 0 : -1;
}

int gqls_builtins_create(gql_arena *a, gqls_builtins *b)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < COUNT(builtin_types); i++) {
        const builtin_type_def *d = &builtin_types[i];
        gql_type *t = gql_arena_zalloc(a, sizeof *t);
        if (!t)
            return -1;
        t->kind = (uint8_t)d->kind;
        t->flags = i < 5 ? GQL_TYPE_FLAG_SPECIFIED_SCALAR : GQL_TYPE_FLAG_INTROSPECTION;
        t->name = d->name;
        t->name_len = (uint32_t)strlen(d->name);
        t->description = str_of(a, d->description);
        if (!t->description.s)
            return -1;
        t->ref.kind = GQL_REF_NAMED;
        t->ref.named = t;
        b->types[i] = t;
    }
    for (int i = 0; i < GQLS_BUILTIN_TYPE_COUNT; i++) {
        gql_type *t = b->types[i];
        if (t->kind == GQL_TYPE_OBJECT && make_fields(a, b, t) < 0)
            return -1;
        if (t->kind == GQL_TYPE_ENUM && make_values(a, t) < 0)
            return -1;
    }
    for (size_t i = 0; i < COUNT(builtin_directives); i++) {
        const builtin_directive_def *d = &builtin_directives[i];
        gql_directive *dir = gql_arena_zalloc(a, sizeof *dir);
        uint8_t *locs = gql_arena_zalloc(a, GQL_DLOC_COUNT_);
        if (!dir || !locs)
            return -1;
        dir->name = d->name;
        dir->name_len = (uint32_t)strlen(d->name);
        dir->description = str_of(a, d->description);
        dir->repeatable = (uint8_t)d->repeatable;
        dir->specified = 1;
        for (const char *p = d->locations; *p;) {
            const char *e = strchr(p, ' ');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            int loc = gql_directive_location_from_name(p, len);
            if (loc >= 0) {
                locs[dir->nlocations++] = (uint8_t)loc;
                dir->location_mask |= 1u << loc;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
        dir->locations = locs;
        char owner[64];
        snprintf(owner, sizeof owner, "@%s", d->name);
        if (make_args(a, b, owner, &dir->args, &dir->nargs, &dir->args_index) < 0)
            return -1;
        b->directives[i] = dir;
    }
    if (make_meta_field(a, b, &b->schema_meta_field, "__schema", "__Schema!",
                        "Access the current type schema of this server.") < 0 ||
        make_meta_field(a, b, &b->type_meta_field, "__type", "__Type",
                        "Request the type information of a single type.") < 0 ||
        make_meta_field(a, b, &b->typename_meta_field, "__typename", "String!",
                        "The name of the current Object type at runtime.") < 0)
        return -1;
    gql_input_value *name_arg = gql_arena_zalloc(a, sizeof *name_arg);
    if (!name_arg)
        return -1;
    name_arg->name = "name";
    name_arg->name_len = 4;
    name_arg->type = ref_of(a, b, "String!", 7);
    b->type_meta_field.args = name_arg;
    b->type_meta_field.nargs = 1;
    return name_arg->type ? 0 : -1;
}

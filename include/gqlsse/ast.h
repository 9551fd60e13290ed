/* gqlsse/ast.h: the GraphQL abstract syntax tree (executable and type system
 * documents), as graphql-js 16 shapes it, and the generic walker over it. */
#ifndef GQLSSE_AST_H
#define GQLSSE_AST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One list of node kinds drives the enum, the kind names (graphql-js `Kind`
 * strings) and the walker's child slots (src/graphql/ast.c). */
#define GQL_AST_KINDS(X)                                              \
    X(NAME, "Name")                                                   \
    X(DOCUMENT, "Document")                                           \
    X(OPERATION_DEFINITION, "OperationDefinition")                    \
    X(VARIABLE_DEFINITION, "VariableDefinition")                      \
    X(SELECTION_SET, "SelectionSet")                                  \
    X(FIELD, "Field")                                                 \
    X(ARGUMENT, "Argument")                                           \
    X(FRAGMENT_SPREAD, "FragmentSpread")                              \
    X(INLINE_FRAGMENT, "InlineFragment")                              \
    X(FRAGMENT_DEFINITION, "FragmentDefinition")                      \
    X(VARIABLE, "Variable")                                           \
    X(INT, "IntValue")                                                \
    X(FLOAT, "FloatValue")                                            \
    X(STRING, "StringValue")                                          \
    X(BOOLEAN, "BooleanValue")                                        \
    X(NULL, "NullValue")                                              \
    X(ENUM, "EnumValue")                                              \
    X(LIST, "ListValue")                                              \
    X(OBJECT, "ObjectValue")                                          \
    X(OBJECT_FIELD, "ObjectField")                                    \
    X(DIRECTIVE, "Directive")                                         \
    X(NAMED_TYPE, "NamedType")                                        \
    X(LIST_TYPE, "ListType")                                          \
    X(NON_NULL_TYPE, "NonNullType")                                   \
    X(SCHEMA_DEFINITION, "SchemaDefinition")                          \
    X(OPERATION_TYPE_DEFINITION, "OperationTypeDefinition")           \
    X(SCALAR_TYPE_DEFINITION, "ScalarTypeDefinition")                 \
    X(OBJECT_TYPE_DEFINITION, "ObjectTypeDefinition")                 \
    X(FIELD_DEFINITION, "FieldDefinition")                            \
    X(INPUT_VALUE_DEFINITION, "InputValueDefinition")                 \
    X(INTERFACE_TYPE_DEFINITION, "InterfaceTypeDefinition")           \
    X(UNION_TYPE_DEFINITION, "UnionTypeDefinition")                   \
    X(ENUM_TYPE_DEFINITION, "EnumTypeDefinition")                     \
    X(ENUM_VALUE_DEFINITION, "EnumValueDefinition")                   \
    X(INPUT_OBJECT_TYPE_DEFINITION, "InputObjectTypeDefinition")      \
    X(DIRECTIVE_DEFINITION, "DirectiveDefinition")                    \
    X(SCHEMA_EXTENSION, "SchemaExtension")                            \
    X(SCALAR_TYPE_EXTENSION, "ScalarTypeExtension")                   \
    X(OBJECT_TYPE_EXTENSION, "ObjectTypeExtension")                   \
    X(INTERFACE_TYPE_EXTENSION, "InterfaceTypeExtension")             \
    X(UNION_TYPE_EXTENSION, "UnionTypeExtension")                     \
    X(ENUM_TYPE_EXTENSION, "EnumTypeExtension")                       \
    X(INPUT_OBJECT_TYPE_EXTENSION, "InputObjectTypeExtension")

typedef enum gql_kind {
#define GQL_KIND_ENUM_(id, name) GQL_##id,
    GQL_AST_KINDS(GQL_KIND_ENUM_)
#undef GQL_KIND_ENUM_
    GQL_KIND_COUNT_
} gql_kind;

typedef enum gql_operation_type {
    GQL_OP_QUERY = 0,
    GQL_OP_MUTATION = 1,
    GQL_OP_SUBSCRIPTION = 2
} gql_operation_type;

typedef struct gql_node gql_node;

/* An array of child nodes, allocated in the document's arena. */
typedef struct gql_list {
    gql_node **items;
    uint32_t count;
} gql_list;

/* Node flags. */
enum {
    GQL_FLAG_BLOCK = 1u << 0,      /* STRING: written as a block string """...""" */
    GQL_FLAG_TRUE = 1u << 1,       /* BOOLEAN: the value is true */
    GQL_FLAG_REPEATABLE = 1u << 2  /* DIRECTIVE_DEFINITION: `repeatable` */
};

/*
 * One struct for every kind; each kind uses the members graphql-js gives it
 * (listed below), which are NULL / empty when absent; other members may not
 * exist (see GQL_NODE_SIZE). Nodes live in their document's arena and are
 * immutable once parsed.
 *
 *   NAME                 value
 *   DOCUMENT             definitions
 *   OPERATION_DEFINITION operation, description?, name?, variable_definitions,
 *                        directives, selection_set
 *   VARIABLE_DEFINITION  description?, variable, type, default_value?, directives
 *   VARIABLE             name
 *   SELECTION_SET        selections
 *   FIELD                alias?, name, arguments, directives, selection_set?
 *   ARGUMENT             name, value
 *   FRAGMENT_SPREAD      name, directives
 *   INLINE_FRAGMENT      type_condition?, directives, selection_set
 *   FRAGMENT_DEFINITION  description?, name, type_condition, directives,
 *                        selection_set
 *   INT, FLOAT, ENUM     value (the source text / the name)
 *   STRING               value (decoded; block strings dedented), flags BLOCK
 *   BOOLEAN              flags TRUE
 *   NULL                 -
 *   LIST                 values
 *   OBJECT               fields (OBJECT_FIELD)
 *   OBJECT_FIELD         name, value
 *   DIRECTIVE            name, arguments
 *   NAMED_TYPE           name
 *   LIST_TYPE, NON_NULL_TYPE  type
 *   SCHEMA_DEFINITION    description?, directives, operation_types
 *   SCHEMA_EXTENSION     directives, operation_types
 *   OPERATION_TYPE_DEFINITION  operation, type (NAMED_TYPE)
 *   SCALAR_TYPE_DEFINITION     description?, name, directives
 *   OBJECT_/INTERFACE_TYPE_DEFINITION  description?, name, interfaces,
 *                        directives, fields (FIELD_DEFINITION)
 *   FIELD_DEFINITION     description?, name, arguments (INPUT_VALUE_DEFINITION),
 *                        type, directives
 *   INPUT_VALUE_DEFINITION  description?, name, type, default_value?, directives
 *   UNION_TYPE_DEFINITION   description?, name, directives, types (NAMED_TYPE)
 *   ENUM_TYPE_DEFINITION    description?, name, directives, values
 *                        (ENUM_VALUE_DEFINITION)
 *   ENUM_VALUE_DEFINITION   description?, name, directives
 *   INPUT_OBJECT_TYPE_DEFINITION  description?, name, directives, fields
 *                        (INPUT_VALUE_DEFINITION)
 *   DIRECTIVE_DEFINITION description?, name, arguments, flags REPEATABLE,
 *                        locations (NAME)
 *   *_TYPE_EXTENSION     as the definition, without description
 */
struct gql_node {
    uint8_t kind;          /* gql_kind */
    uint8_t operation;     /* gql_operation_type (operations, operation types) */
    uint16_t flags;        /* GQL_FLAG_* */
    uint32_t start;        /* byte offset of the node's first token */
    uint32_t end;          /* byte offset just past its last token */
    uint32_t value_len;    /* length of value in bytes (excluding the NUL) */
    const char *value;     /* NUL-terminated; may contain NULs from \u0000 escapes */
    gql_node *name;        /* NAME */
    gql_node *value_node;  /* ARGUMENT / OBJECT_FIELD value */
    union {                /* the kind's main list; one name per use */
        gql_list definitions;
        gql_list selections;
        gql_list values;
        gql_list fields;
        gql_list types;
        gql_list operation_types;
        gql_list locations;
    };
    gql_node *alias;       /* NAME */
    gql_node *selection_set;  /* SELECTION_SET */
    gql_list arguments;    /* ARGUMENT, or INPUT_VALUE_DEFINITION in definitions */
    gql_list directives;
    /* The members above are ordered so that the frequent kinds use a prefix
     * of the struct (GQL_NODE_SIZE); the ones below serve definitions. */
    gql_node *description; /* STRING */
    gql_node *variable;    /* VARIABLE */
    gql_node *type;        /* type reference; NAMED_TYPE for operation types */
    gql_node *type_condition; /* NAMED_TYPE */
    gql_node *default_value;  /* const value */
    gql_list variable_definitions;
    gql_list interfaces;   /* NAMED_TYPE */
};

/* The bytes a node of the kind occupies: the parser allocates only the prefix
 * of struct gql_node that holds the kind's members, so the frequent small
 * kinds (names, values, fields, selection sets, arguments) take 16 to 112
 * bytes instead of sizeof(gql_node). Code must read only the members listed
 * above for the node's kind (sanitizer builds poison the rest). Nodes built
 * elsewhere (schema_build) may be full size. */
#define GQL_NODE_END_(member) (offsetof(gql_node, member) + sizeof(((gql_node *)0)->member))
#define GQL_NODE_SIZE(kind)                                                          \
    ((kind) == GQL_BOOLEAN || (kind) == GQL_NULL ? offsetof(gql_node, value)          \
     : (kind) == GQL_NAME || (kind) == GQL_INT || (kind) == GQL_FLOAT ||              \
             (kind) == GQL_STRING || (kind) == GQL_ENUM                               \
         ? GQL_NODE_END_(value)                                                       \
     : (kind) == GQL_VARIABLE || (kind) == GQL_NAMED_TYPE ? GQL_NODE_END_(name)       \
     : (kind) == GQL_ARGUMENT || (kind) == GQL_OBJECT_FIELD ? GQL_NODE_END_(value_node) \
     : (kind) == GQL_DOCUMENT || (kind) == GQL_SELECTION_SET || (kind) == GQL_LIST ||  \
             (kind) == GQL_OBJECT                                                     \
         ? GQL_NODE_END_(values)                                                      \
     : (kind) == GQL_DIRECTIVE ? GQL_NODE_END_(arguments)                             \
     : (kind) == GQL_FIELD || (kind) == GQL_FRAGMENT_SPREAD ? GQL_NODE_END_(directives) \
     : sizeof(gql_node))

/* True when a node of the kind has the member (for code that handles nodes
 * of any kind), e.g. GQL_NODE_HAS(n->kind, directives). */
#define GQL_NODE_HAS(kind, member) (GQL_NODE_SIZE(kind) >= GQL_NODE_END_(member))

/* graphql-js's Kind string for a kind ("OperationDefinition"). */
const char *gql_kind_name(gql_kind kind);

/* True for the kinds that may appear in an executable document. */
int gql_kind_is_executable_definition(gql_kind kind);
/* True for type system definitions and extensions. */
int gql_kind_is_type_system_definition(gql_kind kind);
int gql_kind_is_type_system_extension(gql_kind kind);

/* The name of an operation type: "query", "mutation", "subscription". */
const char *gql_operation_name(gql_operation_type op);

/* ---- Walking ----
 * gql_walk visits a tree depth first, children in graphql-js's
 * QueryDocumentKeys order. `enter` may return GQL_WALK_SKIP to not descend
 * into the node's children (its `leave` is then not called either), or
 * GQL_WALK_BREAK to stop the whole walk. Callbacks may be NULL.
 * `parent` is NULL for the root. Not reentrant-unsafe: keeps no state. */
typedef enum gql_walk_result {
    GQL_WALK_CONTINUE = 0,
    GQL_WALK_SKIP = 1,
    GQL_WALK_BREAK = 2
} gql_walk_result;

typedef struct gql_walker {
    gql_walk_result (*enter)(const gql_node *node, const gql_node *parent, void *ud);
    gql_walk_result (*leave)(const gql_node *node, const gql_node *parent, void *ud);
} gql_walker;

/* Returns GQL_WALK_BREAK when a callback broke the walk, else CONTINUE. */
gql_walk_result gql_walk(const gql_node *root, const gql_walker *walker, void *ud);

/* Calls fn for each direct child of node in QueryDocumentKeys order; stops
 * early and returns non-zero when fn does. */
int gql_node_each_child(const gql_node *node,
                        int (*fn)(const gql_node *child, void *ud), void *ud);

#ifdef __cplusplus
}
#endif
#endif

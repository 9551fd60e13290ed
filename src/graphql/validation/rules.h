/* rules.h: the validation rule interface (one visitor per rule, run in
 * parallel like graphql-js visitInParallel) and the rules in specifiedRules order. */
#ifndef GQLSSE_VALIDATION_RULES_H
#define GQLSSE_VALIDATION_RULES_H

#include "graphql/validation/context.h"

#define GQL_KBIT(k) (UINT64_C(1) << (k))

/* Results of a rule's enter: descend, or skip the node's subtree for this
 * rule only (graphql-js `return false`; the rule's leave is then not called
 * for that node). */
enum { GQL_RULE_CONTINUE = 0, GQL_RULE_SKIP = 1 };

typedef struct gql_rule {
    const char *name;          /* graphql-js rule name, e.g. "ScalarLeafsRule" */
    size_t state_size;         /* bytes of per-validation state (zeroed) */
    uint64_t enter_kinds;      /* GQL_KBIT(kind) of the nodes `enter` wants */
    uint64_t leave_kinds;      /* same for `leave` */
    /* Called once before the traversal; may be NULL. */
    void (*init)(gql_vctx *c, void *state);
    int (*enter)(gql_vctx *c, void *state, const gql_node *node);
    void (*leave)(gql_vctx *c, void *state, const gql_node *node);
    /* Called once after the traversal, also when it stopped; may be NULL. */
    void (*fini)(gql_vctx *c, void *state);
} gql_rule;

#define GQL_VALIDATION_RULES(X)          \
    X(ExecutableDefinitions)             \
    X(UniqueOperationNames)              \
    X(LoneAnonymousOperation)            \
    X(SingleFieldSubscriptions)          \
    X(KnownTypeNames)                    \
    X(FragmentsOnCompositeTypes)         \
    X(VariablesAreInputTypes)            \
    X(ScalarLeafs)                       \
    X(FieldsOnCorrectType)               \
    X(UniqueFragmentNames)               \
    X(KnownFragmentNames)                \
    X(NoUnusedFragments)                 \
    X(PossibleFragmentSpreads)           \
    X(NoFragmentCycles)                  \
    X(UniqueVariableNames)               \
    X(NoUndefinedVariables)              \
    X(NoUnusedVariables)                 \
    X(KnownDirectives)                   \
    X(UniqueDirectivesPerLocation)       \
    X(KnownArgumentNames)                \
    X(UniqueArgumentNames)               \
    X(ValuesOfCorrectType)               \
    X(ProvidedRequiredArguments)         \
    X(VariablesInAllowedPosition)        \
    X(OverlappingFieldsCanBeMerged)      \
    X(UniqueInputFieldNames)             \
    X(MaxIntrospectionDepth)

#define GQL_RULE_DECL_(id) extern const gql_rule gql_rule_##id;
GQL_VALIDATION_RULES(GQL_RULE_DECL_)
#undef GQL_RULE_DECL_

#endif

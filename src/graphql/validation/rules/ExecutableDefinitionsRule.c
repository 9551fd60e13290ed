/* ExecutableDefinitionsRule.c: a document sent for execution holds only
 * operations and fragments (spec "Executable Definitions"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *state, const gql_node *node)
{
    (void)state;
    const gql_list *defs = &node->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (gql_kind_is_executable_definition((gql_kind)d->kind))
            continue;
        if (d->kind == GQL_SCHEMA_DEFINITION || d->kind == GQL_SCHEMA_EXTENSION)
            gql_vctx_report1f(c, d, "The schema definition is not executable.");
        else
            gql_vctx_report1f(c, d, "The \"%s\" definition is not executable.",
                              d->name->value);
    }
    return GQL_RULE_SKIP;
}

const gql_rule gql_rule_ExecutableDefinitions = {
    .name = "ExecutableDefinitionsRule",
    .enter_kinds = GQL_KBIT(GQL_DOCUMENT),
    .enter = enter,
};

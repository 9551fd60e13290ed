/* OverlappingFieldsCanBeMergedRule.c: fields of one response name can be
 * merged (spec "Field Selection Merging"); the checking itself is the
 * overlapping.c module, driven here on every selection set. */
#include "config.h"

#include "graphql/validation/rules.h"
#include "graphql/validation/overlapping.h"

typedef struct state {
    gql_overlap *o;
} state;

static const gql_node *find_fragment(void *ud, const char *name, size_t len)
{
    return gql_vctx_fragment(ud, name, len);
}

static void report(void *ud, const char *message, const gql_node *const *nodes,
                   uint32_t nnodes)
{
    gql_vctx_report(ud, message, nodes, nnodes);
}

static void init(gql_vctx *c, void *st)
{
    state *s = st;
    gql_overlap_env env = {
        .schema = c->schema,
        .doc = c->doc,
        .find_fragment = find_fragment,
        .report = report,
        .ud = c,
    };
    s->o = gql_overlap_new(&env);
    if (!s->o)
        gql_vctx_oom(c);
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    gql_overlap_selection_set(s->o, node, gql_typeinfo_parent_type(&c->ti));
    switch (gql_overlap_status(s->o)) {
    case GQL_OVERLAP_OK:
        break;
    case GQL_OVERLAP_ABORTED:
        gql_vctx_validation_aborted(c);
        break;
    case GQL_OVERLAP_NOMEM:
        gql_vctx_oom(c);
        break;
    }
    return GQL_RULE_CONTINUE;
}

static void fini(gql_vctx *c, void *st)
{
    (void)c;
    state *s = st;
    gql_overlap_free(s->o);
    s->o = NULL;
}

const gql_rule gql_rule_OverlappingFieldsCanBeMerged = {
    .name = "OverlappingFieldsCanBeMergedRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_SELECTION_SET),
    .init = init,
    .enter = enter,
    .fini = fini,
};

/* validate.c: gql_validate, graphql-js validate(): one traversal of the
 * document with TypeInfo and every rule of specifiedRules in parallel. */
#include "config.h"

#include <gqlsse/validate.h>

#include "graphql/validation/rules.h"

#include <stdlib.h>
#include <string.h>

static const gql_rule *const rules[] = {
#define GQL_RULE_PTR_(id) &gql_rule_##id,
    GQL_VALIDATION_RULES(GQL_RULE_PTR_)
#undef GQL_RULE_PTR_
};
#define NRULES (sizeof rules / sizeof rules[0])

typedef struct walk {
    gql_vctx *c;
    void *state[NRULES];
    const gql_node *skipping[NRULES]; /* visitInParallel's per-rule skip */
    uint64_t enter_any, leave_any;
} walk;

typedef struct child_ctx {
    struct walk *w;
    const gql_node *parent;
} child_ctx;

static int visit_child(const gql_node *child, void *ud);

static void visit(walk *w, const gql_node *node, const gql_node *parent)
{
    gql_vctx *c = w->c;
    /* Descriptions are not validated (graphql-js QueryDocumentKeysToValidate);
     * no rule visits names. */
    if (node->kind == GQL_NAME || (parent && node == parent->description))
        return;
    uint64_t bit = GQL_KBIT(node->kind);
    if (gql_vec_push(c->arena, &c->path, node)) {
        gql_vctx_oom(c);
        return;
    }
    gql_typeinfo_enter(&c->ti, node);
    if (w->enter_any & bit) {
        for (size_t i = 0; i < NRULES; i++) {
            const gql_rule *r = rules[i];
            if (w->skipping[i] || !(r->enter_kinds & bit))
                continue;
            if (r->enter(c, w->state[i], node) == GQL_RULE_SKIP)
                w->skipping[i] = node;
            if (c->aborted)
                return;
        }
    }
    child_ctx cc = {w, node};
    gql_node_each_child(node, visit_child, &cc);
    if (c->aborted)
        return;
    for (size_t i = 0; i < NRULES; i++) {
        const gql_rule *r = rules[i];
        if (w->skipping[i]) {
            if (w->skipping[i] == node)
                w->skipping[i] = NULL;
            continue;
        }
        if ((w->leave_any & bit) && (r->leave_kinds & bit)) {
            r->leave(c, w->state[i], node);
            if (c->aborted)
                return;
        }
    }
    gql_typeinfo_leave(&c->ti, node);
    c->path.count--;
    if (c->ti.oom)
        gql_vctx_oom(c);
}

static int visit_child(const gql_node *child, void *ud)
{
    child_ctx *cc = ud;
    visit(cc->w, child, cc->parent);
    return cc->w->c->aborted;
}

uint32_t gql_validate(const gql_schema *schema, const gql_document *doc,
                      const gql_validate_options *opts, gql_error_list *errors)
{
    gql_vctx c;
    memset(&c, 0, sizeof c);
    c.schema = schema;
    c.doc = doc;
    c.max_errors = opts && opts->max_errors ? opts->max_errors
                                            : GQL_DEFAULT_MAX_VALIDATION_ERRORS;
    c.fragment_work = 50000;
    c.arena = gql_arena_new(doc->source_len * 2 + 4096);
    walk w;
    memset(&w, 0, sizeof w);
    w.c = &c;
    if (!c.arena) {
        c.oom = 1;
        goto done;
    }
    gql_typeinfo_init(&c.ti, schema, c.arena);
    for (size_t i = 0; i < NRULES; i++) {
        w.enter_any |= rules[i]->enter_kinds;
        w.leave_any |= rules[i]->leave_kinds;
        if (rules[i]->state_size) {
            w.state[i] = gql_arena_zalloc(c.arena, rules[i]->state_size);
            if (!w.state[i]) {
                c.oom = 1;
                goto fini;
            }
        }
    }
    for (size_t i = 0; i < NRULES && !c.aborted; i++)
        if (rules[i]->init)
            rules[i]->init(&c, w.state[i]);
    if (!c.aborted)
        visit(&w, doc->root, NULL);
fini:
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i]->fini && (w.state[i] || !rules[i]->state_size))
            rules[i]->fini(&c, w.state[i]);
done:
    gql_arena_free(c.arena);
    uint32_t n = 0;
    if (c.oom) {
        gql_error_list_clear(&c.errors);
        gql_error_list_add(errors, "Out of memory during validation.", NULL, 0);
        return 1;
    }
    for (uint32_t i = 0; i < c.errors.count; i++) {
        gql_error *e = &c.errors.items[i];
        if (gql_error_list_add(errors, e->message, e->locations, e->nlocations))
            n++;
    }
    gql_error_list_clear(&c.errors);
    return n;
}

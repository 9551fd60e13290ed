/* validate.c: gql_validate, graphql-js validate(): one traversal of the
 * document with TypeInfo and every rule of specifiedRules in parallel. */
#include "config.h"

#include <gqlsse/validate.h>

#include "graphql/ast_internal.h"
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
    uint32_t nskipping;
    /* Per node kind, the rules with an enter / leave for it, in rule order. */
    uint8_t enter_rules[GQL_KIND_COUNT_][NRULES];
    uint8_t nenter[GQL_KIND_COUNT_];
    uint8_t leave_rules[GQL_KIND_COUNT_][NRULES];
    uint8_t nleave[GQL_KIND_COUNT_];
} walk;

static void visit(walk *w, const gql_node *node);

static int visit_child(const gql_node *child, void *ud)
{
    walk *w = ud;
    visit(w, child);
    return w->c->aborted;
}

/* Children in graphql-js QueryDocumentKeys order, less names (no rule visits
 * them) and descriptions (not validated: QueryDocumentKeysToValidate). */
static void visit_children(walk *w, const gql_node *node)
{
    gql_each_child(gql_kind_validated_slots[node->kind], node, visit_child, w);
}

static void visit(walk *w, const gql_node *node)
{
    gql_vctx *c = w->c;
    if (node->kind == GQL_NAME)
        return;
    if (gql_vec_push(c->arena, &c->path, node)) {
        gql_vctx_oom(c);
        return;
    }
    gql_typeinfo_enter(&c->ti, node);
    const uint8_t *er = w->enter_rules[node->kind];
    for (uint32_t k = 0, n = w->nenter[node->kind]; k < n; k++) {
        uint8_t i = er[k];
        if (w->skipping[i])
            continue;
        if (rules[i]->enter(c, w->state[i], node) == GQL_RULE_SKIP) {
            w->skipping[i] = node;
            w->nskipping++;
        }
        if (c->aborted)
            return;
    }
    visit_children(w, node);
    if (c->aborted)
        return;
    /* A rule that skipped this node resumes after it, without its leave. */
    uint64_t resumed = 0;
    if (w->nskipping) {
        for (size_t i = 0; i < NRULES; i++) {
            if (w->skipping[i] == node) {
                w->skipping[i] = NULL;
                w->nskipping--;
                resumed |= UINT64_C(1) << i;
            }
        }
    }
    const uint8_t *lr = w->leave_rules[node->kind];
    for (uint32_t k = 0, n = w->nleave[node->kind]; k < n; k++) {
        uint8_t i = lr[k];
        if (w->skipping[i] || (resumed & (UINT64_C(1) << i)))
            continue;
        rules[i]->leave(c, w->state[i], node);
        if (c->aborted)
            return;
    }
    gql_typeinfo_leave(&c->ti, node);
    c->path.count--;
    if (c->ti.oom)
        gql_vctx_oom(c);
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
    c.runtime = opts ? opts->runtime : NULL;
    c.fragment_work = 50000;
    /* Scratch is about 15 bytes per source byte: one first chunk holds it. */
    c.arena = gql_arena_new_sized(doc->source_len * 16 + 8192);
    walk w;
    memset(&w, 0, sizeof w);
    w.c = &c;
    if (!c.arena) {
        c.oom = 1;
        goto done;
    }
    gql_typeinfo_init(&c.ti, schema, c.arena);
    for (size_t i = 0; i < NRULES; i++) {
        for (int k = 0; k < GQL_KIND_COUNT_; k++) {
            if (rules[i]->enter_kinds & GQL_KBIT(k))
                w.enter_rules[k][w.nenter[k]++] = (uint8_t)i;
            if (rules[i]->leave_kinds & GQL_KBIT(k))
                w.leave_rules[k][w.nleave[k]++] = (uint8_t)i;
        }
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
        visit(&w, doc->root);
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

/* suggestion.h: graphql-js suggestionList (lexical distance, natural order)
 * and didYouMean, shared by the SDL rules and the validation rules. */
#ifndef GQLSSE_SUGGESTION_H
#define GQLSSE_SUGGESTION_H

#include <stddef.h>

#include <gqlsse/buf.h>

/*
 * graphql-js suggestionList(input, options): the options within lexical
 * distance floor(len * 0.4) + 1 of `input`, sorted by distance then by
 * naturalCompare, duplicates removed. Stores pointers into `options` in
 * `out` (room for `noptions` entries) and returns how many. Names are
 * compared as ASCII (GraphQL names are).
 */
size_t gql_suggestion_list(const char *input, const char *const *options, size_t noptions,
                           const char **out);

/* graphql-js didYouMean([subMessage,] suggestions): appends "" when n == 0,
 * else ' Did you mean "a", "b", or "c"?' (at most 5). `sub_message` may be
 * NULL. */
void gql_did_you_mean(gql_buf *out, const char *sub_message, const char *const *suggestions,
                      size_t n);

/* graphql-js naturalCompare (digit runs compare as numbers). */
int gql_natural_compare(const char *a, const char *b);

#endif

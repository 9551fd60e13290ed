/* list.h: an intrusive doubly linked list. An item embeds one gqlsse_link
 * per list it can be on and is found from its link with GQLSSE_LIST_ITEM.
 * The list never owns its items: it neither allocates nor frees them, and
 * an item must be removed before it is freed. Nothing allocates, so
 * nothing here can fail. Not thread-safe; a list is used by one thread at a
 * time. Internal to gqlsse (not installed). */
#ifndef GQLSSE_UTIL_LIST_H
#define GQLSSE_UTIL_LIST_H

#include <stddef.h>

typedef struct gqlsse_link {
    struct gqlsse_link *prev, *next; /* both NULL while on no list */
} gqlsse_link;

typedef struct gqlsse_list {
    gqlsse_link *head; /* NULL: empty */
} gqlsse_list;

#define GQLSSE_LIST_INIT {NULL}

/* The item of type `type` whose member `member` is `link`; NULL when
 * `link` is NULL (so GQLSSE_LIST_ITEM(l->head, ...) is NULL on an empty
 * list, and of a last item's link.next too). */
#define GQLSSE_LIST_ITEM(link, type, member) \
    ((type *)gqlsse_list_item_((link), offsetof(type, member)))

/* The first item, and the item after `item` (NULL at the end). */
#define GQLSSE_LIST_FIRST(list, type, member) GQLSSE_LIST_ITEM((list)->head, type, member)
#define GQLSSE_LIST_NEXT(item, type, member) GQLSSE_LIST_ITEM((item)->member.next, type, member)

static inline void *gqlsse_list_item_(gqlsse_link *link, size_t offset)
{
    return link ? (void *)((char *)link - offset) : NULL;
}

static inline int gqlsse_list_empty(const gqlsse_list *l)
{
    return l->head == NULL;
}

/* Puts `n` (on no list) first on `l`. */
static inline void gqlsse_list_push(gqlsse_list *l, gqlsse_link *n)
{
    n->prev = NULL;
    n->next = l->head;
    if (l->head)
        l->head->prev = n;
    l->head = n;
}

/* Takes `n` off `l` (its links are NULL again). `n` must be on `l` or on no
 * list: removing an item that is on no list changes nothing. */
static inline void gqlsse_list_remove(gqlsse_list *l, gqlsse_link *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else if (l->head == n)
        l->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    n->prev = n->next = NULL;
}

#endif

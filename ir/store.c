// SPDX-License-Identifier: GPL-2.0-or-later
/* A string store (see store.h). */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include "ir/mem.h"
#include "ir/store.h"

#define BLK_SIZE (256 * 1024)

struct nc_store_blk {
	struct nc_store_blk *next;
	size_t used, size;
	alignas(max_align_t) char data[];
};

void *nc_store_alloc(struct nc_store *st, size_t n)
{
	struct nc_store_blk *b = st->head;
	size_t at;

	if (b) {
		at = (b->used + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
		if (at <= b->size && n <= b->size - at) {
			b->used = at + n;
			return b->data + at;
		}
	}
	/* a new block; a string bigger than a block gets one of its own,
	 * behind the one being filled */
	size_t blk = st->blk ? st->blk : BLK_SIZE;

	b = malloc(sizeof(*b) + (n > blk ? n : blk));
	if (!b)
		return NULL;
	b->size = n > blk ? n : blk;
	b->used = n;
	nc_populate(b->data, b->size);
	if (n > blk && st->head) {
		b->next = st->head->next;
		st->head->next = b;
	} else {
		b->next = st->head;
		st->head = b;
	}
	return b->data;
}

char *nc_store_dup(struct nc_store *st, const char *s, size_t len)
{
	char *d = nc_store_alloc(st, len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

void nc_store_move(struct nc_store *to, struct nc_store *from)
{
	struct nc_store_blk *last = from->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* @to keeps filling its own block first */
	if (to->head) {
		last->next = to->head->next;
		to->head->next = from->head;
	} else {
		to->head = from->head;
	}
	from->head = NULL;
}

void nc_store_reset(struct nc_store *st)
{
	struct nc_store_blk *keep = st->head;

	if (!keep)
		return;
	st->head = keep->next;
	nc_store_free(st);
	keep->next = NULL;
	keep->used = 0;
	st->head = keep;
}

void nc_store_free(struct nc_store *st)
{
	struct nc_store_blk *b = st->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	st->head = NULL;
}

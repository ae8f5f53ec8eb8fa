/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A string store: many small strings copied into large blocks, freed all
 * at once.  The caller owns the struct (zeroed to start); what
 * nc_store_dup() returns lives until nc_store_free() of the store that
 * holds it, which nc_store_move() may change.  Not for strings freed one
 * by one.
 */
#ifndef NATC_STORE_H
#define NATC_STORE_H

#include <stddef.h>

struct nc_store_blk;

struct nc_store {
	struct nc_store_blk *head;	/* the block being filled first */
	size_t blk;		/* bytes a block holds; 0: 256 KiB */
};

/* @n bytes aligned for any object, or NULL when memory ran out. */
void *nc_store_alloc(struct nc_store *st, size_t n);

/* A copy of @len bytes of @s with a NUL after them, or NULL. */
char *nc_store_dup(struct nc_store *st, const char *s, size_t len);

/* Empty again, keeping its first block for what comes next. */
void nc_store_reset(struct nc_store *st);

/* Everything in @from now belongs to @to; @from is left empty. */
void nc_store_move(struct nc_store *to, struct nc_store *from);

void nc_store_free(struct nc_store *st);

#endif

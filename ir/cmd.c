// SPDX-License-Identifier: GPL-2.0-or-later
/* The raw command the grammar builds. */
#include <stdlib.h>
#include <string.h>
#include "ir/cmd.h"

struct nc_cmd *nc_cmd_new(void)
{
	return calloc(1, sizeof(struct nc_cmd));
}

void nc_cmd_free(struct nc_cmd *c)
{
	if (!c)
		return;
	free(c->opts);
	nc_store_free(&c->strs);
	free(c);
}

void nc_cmd_reset(struct nc_cmd *c)
{
	struct nc_store strs = c->strs;
	struct nc_cmd_opt *opts = c->opts;
	size_t cap = c->cap;

	nc_store_reset(&strs);
	memset(c, 0, sizeof(*c));
	c->strs = strs;
	c->opts = opts;
	c->cap = cap;
}

void nc_cmd_set_kind(struct nc_cmd *c, enum nc_cmd_kind k, const struct nc_loc *loc)
{
	if (c->kind == NC_CMD_NONE) {
		c->kind = k;
		c->loc = *loc;
	} else if (c->conflict == NC_CMD_NONE) {
		c->conflict = k;
		c->conflict_loc = *loc;
	} else if ((c->kind == NC_CMD_ZERO || c->conflict == NC_CMD_ZERO) &&
		   (c->kind == NC_CMD_LIST || c->kind == NC_CMD_LIST_RULES ||
		    c->conflict == NC_CMD_LIST || c->conflict == NC_CMD_LIST_RULES) &&
		   k != NC_CMD_ZERO && k != NC_CMD_LIST && k != NC_CMD_LIST_RULES) {
		/* a third after -L and -Z, which go together: iptables
		 * says "Cannot use -F with -Z" */
		c->kind = NC_CMD_ZERO;
		c->conflict = k;
		c->conflict_loc = *loc;
	}
}

void nc_cmd_word_set(struct nc_cmd_word *w, char *s, const struct nc_loc *loc)
{
	if (!s)
		return;		/* -Z CHAIN -L: an absent word keeps the first */
	w->s = s;
	if (loc)
		w->loc = *loc;
}

struct nc_cmd_opt *nc_cmd_add_opt(struct nc_cmd *c, enum nc_opt_kind k, bool inv,
				  char *name, char *arg, char *arg2,
				  const struct nc_loc *loc,
				  const struct nc_loc *arg_loc)
{
	struct nc_cmd_opt *o;

	if (c->nopts == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct nc_cmd_opt *v = realloc(c->opts, cap * sizeof(*v));

		if (!v)
			return NULL;
		c->opts = v;
		c->cap = cap;
	}
	o = &c->opts[c->nopts++];
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->inv = inv;
	o->name = name;
	o->arg = arg;
	o->arg2 = arg2;
	o->loc = *loc;
	o->arg_loc = arg_loc ? *arg_loc : *loc;
	return o;
}

char nc_cmd_letter(enum nc_cmd_kind k)
{
	static const char letters[NC_CMD_MAX] = {
		[NC_CMD_APPEND] = 'A', [NC_CMD_CHECK] = 'C',
		[NC_CMD_DELETE] = 'D', [NC_CMD_INSERT] = 'I',
		[NC_CMD_REPLACE] = 'R', [NC_CMD_LIST] = 'L',
		[NC_CMD_LIST_RULES] = 'S', [NC_CMD_FLUSH] = 'F',
		[NC_CMD_ZERO] = 'Z', [NC_CMD_NEW_CHAIN] = 'N',
		[NC_CMD_DELETE_CHAIN] = 'X', [NC_CMD_POLICY] = 'P',
		[NC_CMD_RENAME_CHAIN] = 'E', [NC_CMD_HELP] = 'h',
		[NC_CMD_VERSION] = 'V',
	};
	return k > 0 && k < NC_CMD_MAX ? letters[k] : '?';
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A whole rule to kernel expressions and back: the generic part, each
 * match in order, a counter, the target.  Each part's encoding lives with
 * its kind in ir/ext/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ext.h"
#include "buf.h"

int nc_rule_linearize(const struct nc_rule *r, struct nc_exprs *out)
{
	struct nc_expr *cnt;

	if (nc_ip_linearize(r, out) < 0)
		return -1;
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct nc_ext *m = &r->matches[i];

		if (m->ops->linearize && m->ops->linearize(m, r, out) < 0)
			return -1;
	}
	cnt = nc_exprs_add(out, NC_E_COUNTER);
	if (!cnt)
		return -1;
	cnt->u.counter.packets = r->packets;
	cnt->u.counter.bytes = r->bytes;
	if (r->target.ops && r->target.ops->linearize &&
	    r->target.ops->linearize(&r->target, r, out) < 0)
		return -1;
	return 0;
}

static const char *expr_name(const struct nc_expr *x)
{
	static const char *const names[] = {
		[NC_E_META] = "meta", [NC_E_CMP] = "cmp",
		[NC_E_PAYLOAD] = "payload", [NC_E_BITWISE] = "bitwise",
		[NC_E_RANGE] = "range", [NC_E_COUNTER] = "counter",
		[NC_E_IMMEDIATE] = "immediate", [NC_E_NAT] = "nat",
		[NC_E_MASQ] = "masq", [NC_E_REDIR] = "redir",
		[NC_E_LOOKUP] = "lookup", [NC_E_CT] = "ct",
		[NC_E_LIMIT] = "limit", [NC_E_NUMGEN] = "numgen",
		[NC_E_LOG] = "log", [NC_E_FIB] = "fib",
		[NC_E_MATCH] = "match", [NC_E_TARGET] = "target",
	};
	return x->type == NC_E_UNKNOWN ? x->u.unknown.name : names[x->type];
}

/* Start over as a rule natc cannot express: keep a description. */
static int mark_unknown(struct nc_rule *r, const struct nc_exprs *in)
{
	struct nc_buf b = { 0 };
	uint64_t handle = r->handle;
	uint8_t family = r->family;

	nc_buf_puts(&b, "rule natc cannot express in iptables syntax:");
	for (size_t i = 0; i < in->n; i++)
		nc_buf_printf(&b, " [%s]", expr_name(&in->v[i]));
	if (nc_buf_failed(&b)) {
		nc_buf_free(&b);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < r->nmatches; i++)
		free(r->matches[i].data);
	free(r->matches);
	free(r->target.data);
	free(r->unknown);
	memset(r, 0, sizeof(*r));
	r->handle = handle;
	r->family = family;
	r->unknown = b.s;
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].type == NC_E_COUNTER) {
			r->packets = in->v[i].u.counter.packets;
			r->bytes = in->v[i].u.counter.bytes;
		}
	return 0;
}

static int delin_matches(struct nc_rule *r, struct nc_expr_cursor *c)
{
	int progress;

	do {
		progress = 0;
		for (size_t i = 0; nc_ext_all[i]; i++) {
			const struct nc_ext_ops *o = nc_ext_all[i];
			int rc;

			if (o->kind != NC_EXT_MATCH || !o->delinearize)
				continue;
			rc = o->delinearize(r, c);
			if (rc < 0)
				return -1;
			if (rc > 0) {
				progress = 1;
				break;
			}
		}
		if (!progress) {
			int rc = nc_ip_delinearize(r, c);

			if (rc < 0)
				return -1;
			progress = rc;
		}
	} while (progress);
	return 0;
}

static int delin_target(struct nc_rule *r, struct nc_expr_cursor *c)
{
	if (!nc_cursor_peek(c, 0))
		return 1;	/* no target */
	for (size_t i = 0; nc_ext_all[i]; i++) {
		const struct nc_ext_ops *o = nc_ext_all[i];
		int rc;

		if (o->kind != NC_EXT_TARGET || !o->delinearize)
			continue;
		rc = o->delinearize(r, c);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int nc_rule_delinearize(struct nc_rule *r, const struct nc_exprs *in)
{
	struct nc_expr_cursor c = { .l = in };
	const struct nc_expr *x;
	int rc;

	if (nc_ip_delinearize(r, &c) < 0 || delin_matches(r, &c) < 0)
		return -1;
	x = nc_cursor_peek(&c, 0);
	if (x && x->type == NC_E_COUNTER) {
		r->packets = x->u.counter.packets;
		r->bytes = x->u.counter.bytes;
		c.pos++;
	}
	rc = delin_target(r, &c);
	if (rc < 0)
		return -1;
	if (rc == 0 || c.pos != in->n)
		return mark_unknown(r, in);
	return 0;
}

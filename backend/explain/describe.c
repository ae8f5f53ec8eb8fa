// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One plain sentence per rule: which packets (the generic part, then each
 * match's describe callback), then what happens to them (the target's).
 * "TCP packets to port 80, arriving on any interface, for any destination
 * address: destination rewritten to 13.37.42.1 port 80".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/ext.h"
#include "ir/parse.h"

static void subject(const struct nc_rule *r, struct nc_buf *b)
{
	const char *name = nc_proto_name(r->proto, true);

	if (!r->proto && !(r->invflags & NC_INV_PROTO)) {
		nc_buf_puts(b, "All packets");
		return;
	}
	if (r->invflags & NC_INV_PROTO)
		nc_buf_puts(b, "Packets of any protocol but ");
	if (name)
		for (const char *s = name; *s; s++)
			nc_buf_putc(b, (char)toupper((unsigned char)*s));
	else
		nc_buf_printf(b, "protocol %u", r->proto);
	if (!(r->invflags & NC_INV_PROTO))
		nc_buf_puts(b, " packets");
}

char *nc_xp_sentence(const struct nc_rule *r, const struct nc_chain *c)
{
	struct nc_buf b = { 0 }, cl = { 0 };
	bool failed, in_hook = c->builtin && (c->hook == NF_INET_PRE_ROUTING ||
				      c->hook == NF_INET_LOCAL_IN);
	bool out_hook = c->builtin && c->hook == NF_INET_POST_ROUTING;
	bool nat = r->target.ops && r->target.ops != &nc_ext_standard;

	if (r->unknown) {
		nc_buf_printf(&b, "A rule natc cannot read (written by another tool): %s",
			      r->unknown);
		return b.s ? b.s : strdup("");
	}
	subject(r, &b);
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct nc_ext *e = &r->matches[i];

		if (e->ops->describe)
			e->ops->describe(e, r, &cl);
		else
			nc_buf_printf(&cl, ", matching -m %s (not described)", e->ops->name);
	}
	nc_ip_describe(r, &cl);
	/* say what a translating rule does NOT restrict: that is where the
	 * surprises come from */
	if (nat && in_hook && !r->in.name[0])
		nc_buf_puts(&cl, ", arriving on any interface");
	if (nat && out_hook && !r->out.name[0])
		nc_buf_puts(&cl, ", leaving through any interface");
	if (nat && in_hook && nc_mask_to_prefix(&r->dmsk, r->family) == 0)
		nc_buf_puts(&cl, ", for any destination address");
	if (nat && out_hook && nc_mask_to_prefix(&r->smsk, r->family) == 0)
		nc_buf_puts(&cl, ", from any source address");
	/* "TCP packets to port 80, arriving on ...": no comma at first */
	if (cl.len > 2)
		nc_buf_printf(&b, " %s", nc_buf_str(&cl) + 2);
	failed = cl.failed;
	nc_buf_free(&cl);
	nc_buf_puts(&b, ": ");
	if (!r->target.ops)
		nc_buf_puts(&b, "counted, nothing else (no target)");
	else if (r->target.ops->describe)
		r->target.ops->describe(&r->target, r, &b);
	else
		nc_buf_printf(&b, "-j %s (not described)", r->target.ops->name);
	return b.failed || failed ? (free(b.s), NULL) : b.s;
}

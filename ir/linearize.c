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
#include "ir/ext.h"
#include "ir/buf.h"
#include "ir/ext/lib/xt.h"

static int lower_ext(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_exprs *out, nc_parse_line_fn *parse, bool xt)
{
	int rc;

	if (xt && !e->ops->iptables_native) {
		rc = nc_xt_lower_native(e, r, out, parse);
		if (rc == 0 || (rc < 0 && errno != EINVAL))
			return rc;
		/* no such iptables extension, or it refused natc's text:
		 * natc's own encoding */
	}
	rc = e->ops->linearize ? e->ops->linearize(e, r, out) : 0;
	if (rc > 0) {
		/* no native form: iptables' own extension writes it */
		rc = nc_xt_lower_native(e, r, out, parse);
		if (rc > 0)
			errno = EOPNOTSUPP;	/* no libxt_NAME installed */
		rc = rc ? -1 : 0;
	}
	return rc;
}

/*
 * The generic part as iptables-nft 1.8.9 writes it, from natc's (which is
 * nft's) starting at @from: an interface name compares its length plus
 * the NUL, not all 16 bytes; the protocol comes before the addresses.
 */
static void iptables_generic(struct nc_exprs *out, size_t from)
{
	size_t n = out->n, ifaces = from, proto = n;

	for (size_t i = from; i + 1 < n; i++) {
		struct nc_expr *m = &out->v[i], *x = &out->v[i + 1];
		size_t len;

		if (m->type != NC_E_META || x->type != NC_E_CMP)
			continue;
		if (m->u.meta.key == NFT_META_IIFNAME ||
		    m->u.meta.key == NFT_META_OIFNAME) {
			len = strnlen((const char *)x->u.cmp.data, x->u.cmp.len);
			if (len < x->u.cmp.len)
				x->u.cmp.len = (uint32_t)len + 1;
			ifaces = i + 2;
		} else if (m->u.meta.key == NFT_META_L4PROTO) {
			proto = i;
		}
	}
	if (proto < n && proto > ifaces) {
		struct nc_expr pair[2];

		memcpy(pair, &out->v[proto], sizeof(pair));
		memmove(&out->v[ifaces + 2], &out->v[ifaces],
			(proto - ifaces) * sizeof(*out->v));
		memcpy(&out->v[ifaces], pair, sizeof(pair));
	}
}

static int linearize(const struct nc_rule *r, struct nc_exprs *out,
		     nc_parse_line_fn *parse, bool xt)
{
	struct nc_expr *cnt;
	size_t from = out->n, starts[NC_UDATA_STARTS];

	if (nc_ip_linearize(r, out) < 0)
		return -1;
	if (xt)
		iptables_generic(out, from);
	if (xt) {	/* iptables-nft puts it on every rule */
		out->compat = true;
		out->compat_proto = r->proto;
		out->compat_flags = r->invflags & NC_INV_PROTO ?
				    NFT_RULE_COMPAT_F_INV : 0;
	}
	for (size_t i = 0; i < r->nmatches; i++) {
		/* where each match starts, for natc's userdata (at most
		 * 255 of them are named there: see comment.c) */
		if (i < NC_UDATA_STARTS)
			starts[i] = out->n - from;
		if (lower_ext(&r->matches[i], r, out, parse, xt) < 0)
			return -1;
	}
	cnt = nc_exprs_add(out, NC_E_COUNTER);
	if (!cnt)
		return -1;
	cnt->u.counter.packets = r->packets;
	cnt->u.counter.bytes = r->bytes;
	if (r->target.ops && lower_ext(&r->target, r, out, parse, xt) < 0)
		return -1;
	/* iptables-nft writes a comment as an xt match, and has no use
	 * for natc's layout hints */
	return xt ? 0 : nc_udata_linearize(r, out, starts);
}

int nc_rule_linearize(const struct nc_rule *r, struct nc_exprs *out,
		      nc_parse_line_fn *parse)
{
	return linearize(r, out, parse, false);
}

int nc_rule_linearize_xt(const struct nc_rule *r, struct nc_exprs *out,
			 nc_parse_line_fn *parse)
{
	return linearize(r, out, parse, true);
}

static const char *expr_name(const struct nc_expr *x)
{
	const char *n = nc_expr_kind_name(x->type);

	return x->type == NC_E_UNKNOWN || !n ? x->u.unknown.name : n;
}

static void put_hex(struct nc_buf *b, const uint8_t *p, uint32_t len)
{
	nc_buf_puts(b, " 0x");
	for (uint32_t i = 0; i < len && i < NC_EXPR_MAXLEN; i++)
		nc_buf_printf(b, "%02x", p[i]);
}

/*
 * One expression as `nft --debug=netlink` shows it, near enough to tell
 * what the rule does (counters left out: the text is the rule's identity
 * for -C and -D).
 */
static void expr_desc(struct nc_buf *b, const struct nc_expr *x)
{
	static const char *const metas[] = {
		"len", "protocol", "priority", "mark", "iif", "oif", "iifname",
		"oifname", "iiftype", "oiftype", "skuid", "skgid", "nftrace",
		"rtclassid", "secmark", "nfproto", "l4proto",
	};
	static const char *const bases[] = {
		"link", "network", "transport", "inner",
	};
	static const char *const ops[] = { "eq", "neq", "lt", "lte", "gt", "gte" };

	nc_buf_printf(b, " [%s", expr_name(x));
	switch (x->type) {
	case NC_E_META:
		if (x->u.meta.key < sizeof(metas) / sizeof(metas[0]))
			nc_buf_printf(b, x->u.meta.sreg ? " set %s" : " load %s",
				      metas[x->u.meta.key]);
		else
			nc_buf_printf(b, " key %u", x->u.meta.key);
		break;
	case NC_E_CMP:
		nc_buf_printf(b, " %s", x->u.cmp.op < 6 ? ops[x->u.cmp.op] : "?");
		put_hex(b, x->u.cmp.data, x->u.cmp.len);
		break;
	case NC_E_PAYLOAD:
		nc_buf_printf(b, " load %ub @ %s header + %u", x->u.payload.len,
			      x->u.payload.base < 4 ? bases[x->u.payload.base] : "?",
			      x->u.payload.offset);
		break;
	case NC_E_BITWISE:
		nc_buf_puts(b, " &");
		put_hex(b, x->u.bitwise.mask, x->u.bitwise.len);
		nc_buf_puts(b, " ^");
		put_hex(b, x->u.bitwise.xor, x->u.bitwise.len);
		break;
	case NC_E_RANGE:
		nc_buf_puts(b, x->u.range.op ? " neq" : " eq");
		put_hex(b, x->u.range.from, x->u.range.len);
		put_hex(b, x->u.range.to, x->u.range.len);
		break;
	case NC_E_IMMEDIATE:
		if (x->u.imm.dreg == NFT_REG_VERDICT)
			nc_buf_printf(b, " verdict %d%s%s", x->u.imm.verdict,
				      x->u.imm.chain[0] ? " -> " : "", x->u.imm.chain);
		else
			put_hex(b, x->u.imm.data, x->u.imm.len);
		break;
	case NC_E_NAT:
		nc_buf_printf(b, " %s flags 0x%x",
			      x->u.nat.type == NFT_NAT_SNAT ? "snat" : "dnat",
			      x->u.nat.flags);
		break;
	case NC_E_MASQ:
	case NC_E_REDIR:
		nc_buf_printf(b, " flags 0x%x", x->u.masq.flags);
		break;
	case NC_E_CT:
		nc_buf_printf(b, " %s key %u", x->u.ct.sreg ? "set" : "load",
			      x->u.ct.key);
		break;
	case NC_E_MATCH:
	case NC_E_TARGET:
		nc_buf_printf(b, " name %s rev %u", x->u.xt.name, x->u.xt.rev);
		break;
	default:
		break;
	}
	nc_buf_putc(b, ']');
}

/* Start over as a rule natc cannot express: keep a description. */
static int mark_unknown(struct nc_rule *r, const struct nc_exprs *in)
{
	struct nc_buf b = { 0 };
	uint64_t handle = r->handle;
	uint8_t family = r->family;

	nc_buf_puts(&b, "rule natc cannot express in iptables syntax:");
	for (size_t i = 0; i < in->n; i++)
		expr_desc(&b, &in->v[i]);
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

/*
 * The matches, each kind asked in turn at each position.  Where natc's
 * userdata says an instance starts (@brk, ascending), no kind reads past
 * it from before, nor adds a test read after it to an instance read
 * before (nc_cursor_joins()).
 */
static int delin_matches(struct nc_rule *r, struct nc_expr_cursor *c,
			 const size_t *brk, size_t nbrk)
{
	size_t b = 0;
	int progress;

	do {
		for (; b < nbrk && brk[b] <= c->pos; b++)
			if (brk[b] == c->pos)
				c->from = r->nmatches;
		c->end = b < nbrk ? brk[b] : c->l->n;
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

int nc_rule_delinearize(struct nc_rule *r, const struct nc_exprs *in,
			nc_parse_line_fn *parse)
{
	struct nc_expr_cursor c = { .l = in, .parse = parse, .end = in->n };
	size_t brk[NC_UDATA_STARTS];
	size_t nbrk = nc_udata_breaks(in, brk, NC_UDATA_STARTS);
	const struct nc_expr *x;
	int rc;

	if (nc_ip_delinearize(r, &c) < 0 || delin_matches(r, &c, brk, nbrk) < 0)
		return -1;
	c.end = in->n;
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
	return nc_udata_delinearize(r, in);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The icmp match (-m icmp, implicit after -p icmp):
 * [!] --icmp-type NAME | TYPE[/CODE] | any.
 *
 * Kernel form, as nft writes `icmp type echo-request` and `icmp type 3
 * icmp code 1`: [payload load 1b @ transport header + 0] [cmp eq|neq
 * TYPE], or for one code [payload load 2b @ transport header + 0] [cmp
 * eq|neq TYPE CODE].  `any` tests nothing: it is an empty match kept by
 * natc's userdata hint (ir/ext/comment.c), as -p tcp -m tcp is.
 * iptables-nft 1.8.9 writes an xt icmp match (type, code[2], invflags),
 * also read back.
 */
#include <string.h>
#include <strings.h>
#include "ir/ext.h"
#include "ir/ext/lib/xtnum.h"

struct nc_icmp {
	uint8_t type, code_min, code_max;
	bool specific;		/* false: any (so that zeroed data is empty) */
	bool inv;
	bool given;		/* --icmp-type seen: only while building, check
				 * clears it so that instances compare by what
				 * they test (and zeroed data is "any") */
};

/* iptables' table: the first entry of a type and codes is printed */
static const struct {
	const char *name;
	uint8_t type, code_min, code_max;
} names[] = {
	{ "any", 0xFF, 0, 0xFF },
	{ "echo-reply", 0, 0, 0xFF },
	{ "pong", 0, 0, 0xFF },
	{ "destination-unreachable", 3, 0, 0xFF },
	{ "network-unreachable", 3, 0, 0 },
	{ "host-unreachable", 3, 1, 1 },
	{ "protocol-unreachable", 3, 2, 2 },
	{ "port-unreachable", 3, 3, 3 },
	{ "fragmentation-needed", 3, 4, 4 },
	{ "source-route-failed", 3, 5, 5 },
	{ "network-unknown", 3, 6, 6 },
	{ "host-unknown", 3, 7, 7 },
	{ "network-prohibited", 3, 9, 9 },
	{ "host-prohibited", 3, 10, 10 },
	{ "TOS-network-unreachable", 3, 11, 11 },
	{ "TOS-host-unreachable", 3, 12, 12 },
	{ "communication-prohibited", 3, 13, 13 },
	{ "host-precedence-violation", 3, 14, 14 },
	{ "precedence-cutoff", 3, 15, 15 },
	{ "source-quench", 4, 0, 0xFF },
	{ "redirect", 5, 0, 0xFF },
	{ "network-redirect", 5, 0, 0 },
	{ "host-redirect", 5, 1, 1 },
	{ "TOS-network-redirect", 5, 2, 2 },
	{ "TOS-host-redirect", 5, 3, 3 },
	{ "echo-request", 8, 0, 0xFF },
	{ "ping", 8, 0, 0xFF },
	{ "router-advertisement", 9, 0, 0xFF },
	{ "router-solicitation", 10, 0, 0xFF },
	{ "time-exceeded", 11, 0, 0xFF },
	{ "ttl-exceeded", 11, 0, 0xFF },
	{ "ttl-zero-during-transit", 11, 0, 0 },
	{ "ttl-zero-during-reassembly", 11, 1, 1 },
	{ "parameter-problem", 12, 0, 0xFF },
	{ "ip-header-bad", 12, 0, 0 },
	{ "required-option-missing", 12, 1, 1 },
	{ "timestamp-request", 13, 0, 0xFF },
	{ "timestamp-reply", 14, 0, 0xFF },
	{ "address-mask-request", 17, 0, 0xFF },
	{ "address-mask-reply", 18, 0, 0xFF },
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

enum { OPT_TYPE = 1 };

static const struct nc_ext_opt icmp_opts[] = {
	{ "icmp-type", OPT_TYPE, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static void set_any(struct nc_icmp *t)
{
	t->specific = false;
	t->type = t->code_min = t->code_max = 0;
}

static int parse_numeric(struct nc_icmp *t, const char *arg,
			 const struct nc_loc *loc, struct nc_err *err)
{
	const char *end;
	uint64_t v;

	if (!nc_xt_uint_prefix(arg, 0, 255, &v, &end) || (*end && *end != '/'))
		return nc_err_param(err, loc, "Unknown ICMP type `%s'", arg);
	t->type = (uint8_t)v;
	t->code_min = 0;
	t->code_max = 0xFF;
	if (*end == '/') {
		if (!nc_xt_uint(end + 1, 0, 255, &v))
			return nc_err_param(err, loc, "Unknown ICMP code `%s'", arg);
		t->code_min = t->code_max = (uint8_t)v;
	}
	t->specific = true;
	return 0;
}

static int icmp_parse(struct nc_ext *e, struct nc_rule *r,
		      const struct nc_ext_opt *opt, bool inv, const char *arg,
		      const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_icmp *t = e->data;
	size_t n = strlen(arg), hit = N_NAMES;

	if (t->given)
		return nc_err_param(err, loc,
			"icmp: option \"--icmp-type\" can only be used once.\n");
	for (size_t i = 0; n && i < N_NAMES; i++) {
		if (strncasecmp(names[i].name, arg, n))
			continue;
		if (hit != N_NAMES)
			return nc_err_param(err, loc,
				"Ambiguous ICMP type `%s': `%s' or `%s'?",
				arg, names[hit].name, names[i].name);
		hit = i;
	}
	if (hit == N_NAMES) {
		if (parse_numeric(t, arg, loc, err) < 0)
			return -1;
		/* type 255 with every code is iptables' "any" */
		if (t->type == 0xFF && t->code_min == 0 && t->code_max == 0xFF)
			set_any(t);
	} else if (names[hit].type == 0xFF) {
		set_any(t);
	} else {
		t->type = names[hit].type;
		t->code_min = names[hit].code_min;
		t->code_max = names[hit].code_max;
		t->specific = true;
	}
	/* iptables-nft 1.8.9 takes it: a rule that never matches */
	if (inv && !t->specific)
		return nc_err_param(err, loc,
			"icmp: ! --icmp-type any would never match");
	t->inv = inv;
	t->given = true;
	return 0;
}

static int icmp_check(struct nc_ext *e, const struct nc_rule *r,
		      struct nc_err *err)
{
	struct nc_icmp *t = e->data;

	if (!t->given)
		return nc_err_param(err, &e->loc,
			"icmp: option \"--icmp-type\" must be specified\n");
	t->given = false;
	/* iptables-nft 1.8.9 sends it and the kernel refuses it (exit 4) */
	if (r->proto != IPPROTO_ICMP || (r->invflags & NC_INV_PROTO))
		return nc_err_param(err, &e->loc, "icmp match requires '-p icmp'");
	return 0;
}

static bool icmp_empty(const struct nc_ext *e)
{
	const struct nc_icmp *t = e->data;

	return !t->specific && !t->inv;
}

static void icmp_save(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b)
{
	const struct nc_icmp *t = e->data;

	if (t->inv)
		nc_buf_puts(b, " !");
	if (!t->specific) {
		nc_buf_puts(b, " --icmp-type any");
		return;
	}
	nc_buf_printf(b, " --icmp-type %u", t->type);
	if (t->code_min != 0 || t->code_max != 0xFF)
		nc_buf_printf(b, "/%u", t->code_min);
}

static void icmp_print(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b, unsigned fmt)
{
	const struct nc_icmp *t = e->data;
	uint8_t type = t->specific ? t->type : 0xFF;
	uint8_t lo = t->specific ? t->code_min : 0, hi = t->specific ? t->code_max : 0xFF;

	nc_buf_puts(b, " icmp");
	if (!(fmt & NC_FMT_NUMERIC))
		for (size_t i = 0; i < N_NAMES; i++)
			if (names[i].type == type && names[i].code_min == lo &&
			    names[i].code_max == hi) {
				nc_buf_printf(b, " %s%s", t->inv ? "!" : "", names[i].name);
				return;
			}
	nc_buf_printf(b, "%stype %u", t->inv ? " !" : "", type);
	if (lo == hi)
		nc_buf_printf(b, " code %u", lo);
	else if (lo != 0 || hi != 0xFF)
		nc_buf_printf(b, " codes %u-%u", lo, hi);
}

static int icmp_linearize(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_exprs *out)
{
	const struct nc_icmp *t = e->data;
	uint8_t v[2] = { t->type, t->code_min };
	uint32_t n = t->code_min == t->code_max ? 2 : 1;

	if (!t->specific)
		return 0;	/* any: nothing to test */
	if (nc_expr_payload(out, NFT_PAYLOAD_TRANSPORT_HEADER, 0, n) < 0)
		return -1;
	return nc_expr_cmp(out, t->inv ? NFT_CMP_NEQ : NFT_CMP_EQ, v, n);
}

static int icmp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	struct nc_icmp t;
	struct nc_ext *e;
	size_t used = 2;

	if (r->proto != IPPROTO_ICMP || (r->invflags & NC_INV_PROTO) || !ld ||
	    nc_cursor_joins(c, r, nc_rule_last_match(r, &nc_ext_icmp)))
		return 0;	/* a second one only where natc's userdata says */
	memset(&t, 0, sizeof(t));
	if (ld->type == NC_E_PAYLOAD &&
	    ld->u.payload.base == NFT_PAYLOAD_TRANSPORT_HEADER &&
	    ld->u.payload.offset == 0 && ld->u.payload.dreg == NFT_REG_1 &&
	    (ld->u.payload.len == 1 || ld->u.payload.len == 2) &&
	    x && x->type == NC_E_CMP && x->u.cmp.len == ld->u.payload.len &&
	    x->u.cmp.sreg == NFT_REG_1 &&
	    (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		t.type = x->u.cmp.data[0];
		t.code_min = ld->u.payload.len == 2 ? x->u.cmp.data[1] : 0;
		t.code_max = ld->u.payload.len == 2 ? x->u.cmp.data[1] : 0xFF;
		t.inv = x->u.cmp.op == NFT_CMP_NEQ;
		t.specific = true;
	} else if (ld->type == NC_E_MATCH && !strcmp(ld->u.xt.name, "icmp") &&
		   ld->u.xt.rev == 0 && ld->u.xt.info_len >= 4) {
		const uint8_t *info = nc_exprs_bytes(c->l, ld->u.xt.info_off);

		/* struct ipt_icmp: type, code[2], invflags (IPT_ICMP_INV 1) */
		if ((info[3] & ~1) || info[1] > info[2] ||
		    (info[1] != info[2] && (info[1] != 0 || info[2] != 0xFF)))
			return 0;
		t.inv = info[3] & 1;
		if (info[0] != 0xFF || info[1] != 0 || info[2] != 0xFF) {
			t.type = info[0];
			t.code_min = info[1];
			t.code_max = info[2];
			t.specific = true;
		}
		used = 1;
	} else {
		return 0;
	}
	if (!(e = nc_rule_add_match(r, &nc_ext_icmp)))
		return -1;
	memcpy(e->data, &t, sizeof(t));	/* no padding: all bytes */
	c->pos += used;
	return 1;
}

/* nft text: `icmp type echo-request`, `icmp type 3 icmp code 1` (nft
 * loads the two adjacent bytes at once, as natc does) */
static int icmp_xlate(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_xlate *x)
{
	static const char *const nft_types[19] = {
		[0] = "echo-reply", [3] = "destination-unreachable",
		[4] = "source-quench", [5] = "redirect", [8] = "echo-request",
		[9] = "router-advertisement", [10] = "router-solicitation",
		[11] = "time-exceeded", [12] = "parameter-problem",
		[13] = "timestamp-request", [14] = "timestamp-reply",
		[15] = "info-request", [16] = "info-reply",
		[17] = "address-mask-request", [18] = "address-mask-reply",
	};
	const struct nc_icmp *t = e->data;
	bool code = t->code_min == t->code_max;

	if (!t->specific)
		return 0;
	if (code && t->inv) {
		x->why = "a negated type and code has no nft text natc loads the same";
		return -1;
	}
	nc_buf_puts(x->b, t->inv ? " icmp type != " : " icmp type ");
	if (code || t->type >= 19 || !nft_types[t->type])
		nc_buf_putu(x->b, t->type);
	else
		nc_buf_puts(x->b, nft_types[t->type]);
	if (code) {
		nc_buf_puts(x->b, " icmp code ");
		nc_buf_putu(x->b, t->code_min);
	}
	return 0;
}

static void icmp_describe(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_buf *b)
{
	const struct nc_icmp *t = e->data;
	const char *name = NULL;

	(void)r;
	if (!t->specific) {
		nc_buf_puts(b, t->inv ? ", of no ICMP type (never)" : ", of any ICMP type");
		return;
	}
	for (size_t i = 0; i < N_NAMES && !name; i++)
		if (names[i].type == t->type && names[i].code_min == t->code_min &&
		    names[i].code_max == t->code_max)
			name = names[i].name;
	nc_buf_printf(b, ", %sof ICMP type %u", t->inv ? "not " : "", t->type);
	if (t->code_min != 0 || t->code_max != 0xFF)
		nc_buf_printf(b, " code %u", t->code_min);
	if (name)
		nc_buf_printf(b, " (%s)", name);
}

/* The packet model has no ICMP type: only "any" is certain. */
static int icmp_packet(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_pkt *p)
{
	const struct nc_icmp *t = e->data;

	(void)r;
	if ((p->known & NC_PK_PROTO) && p->proto != IPPROTO_ICMP)
		return NC_PKT_NO;
	if (!t->specific)
		return t->inv ? NC_PKT_NO : NC_PKT_YES;
	return NC_PKT_MAYBE;
}

const struct nc_ext_ops nc_ext_icmp = {
	.name = "icmp",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4,
	.size = sizeof(struct nc_icmp),
	.opts = icmp_opts,
	.parse = icmp_parse,
	.check = icmp_check,
	.empty = icmp_empty,
	.save = icmp_save,
	.print = icmp_print,
	.linearize = icmp_linearize,
	.delinearize = icmp_delinearize,
	.xlate = icmp_xlate,
	.describe = icmp_describe,
	.packet = icmp_packet,
};
